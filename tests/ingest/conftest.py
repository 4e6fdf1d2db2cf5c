"""Fixtures for the format readers: the fixture files and a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kartoteka.ingest.base import Input, Reader, ReadItem, ReadOptions
from kartoteka.model import ArticleDraft

DATA = Path(__file__).resolve().parent.parent / "data" / "ingest"


@pytest.fixture
def data() -> Path:
    return DATA


def read_file(reader: Reader, path: Path, **options: object) -> list[ReadItem]:
    """Everything a reader yields for one fixture file."""
    return list(reader.read(Input(str(path), path.read_bytes()), ReadOptions(**options)))  # type: ignore[arg-type]


def drafts(items: list[ReadItem]) -> list[ArticleDraft]:
    return [i for i in items if isinstance(i, ArticleDraft)]


# path -> (status, headers, body); the body may be a callable for slow or huge answers.
Route = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    seen_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and "X-No-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture
def http_server() -> Iterator[Callable[[dict[str, Route]], str]]:
    """Start a loopback server with the given routes; returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(routes: dict[str, Route]) -> str:
        handler = type("Handler", (_Handler,), {"routes": routes, "seen_agents": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        start.handler = handler  # type: ignore[attr-defined]
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
