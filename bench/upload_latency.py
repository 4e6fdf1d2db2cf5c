"""Latency of other requests while a contributor uploads a large file (issue 14, defect 3).

Starts uvicorn (one worker, as the worst case: there is no other worker to
answer) on a fresh SQLite database, signs a contributor in, and measures GET
``/`` latencies from one client: first with nothing else going on (the
baseline), then while the contributor uploads a ~0.8 MB JSON Lines file over
and over.  Before the fix the upload ran on the event loop and every other
request waited for it; now it runs in the thread pool.  The last line
printed is one JSON object.

    python bench/upload_latency.py [--seconds 15] [--size-kb 800]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kartoteka.auth.passwords import generate_password  # noqa: E402
from kartoteka.auth.roles import Actor, Role  # noqa: E402
from kartoteka.services.sessions import COOKIE_NAME  # noqa: E402
from kartoteka.services.wiring import build_services  # noqa: E402
from kartoteka.settings import Settings  # noqa: E402
from kartoteka.store.database import Database  # noqa: E402
from kartoteka.web.app import create_app  # noqa: E402

TARGET_P99_MS = 100.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def upload_body(size_kb: int) -> bytes:
    """JSON Lines records with distinct text, so each upload stores new drafts."""
    lines, n = [], 0
    while sum(len(line) for line in lines) < size_kb * 1024:
        text = " ".join(f"word{n}x{i}" for i in range(120))
        lines.append(json.dumps({"title": f"Item {n}", "text": text, "url": f"https://e.org/{n}"}))
        n += 1
    return ("\n".join(lines) + "\n").encode()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p99_ms": round(p99, 1), "max_ms": round(ordered[-1], 1)}


def measure(url: str, seconds: float) -> list[float]:
    samples = []
    end = time.monotonic() + seconds
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < end:
            start = time.perf_counter()
            client.get(url + "/?bench=1")
            samples.append((time.perf_counter() - start) * 1000)
            time.sleep(0.01)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--size-kb", type=int, default=800)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kartoteka-upload-bench-"))
    db = Database(f"sqlite:///{work / 'bench.db'}")
    db.migrate()
    services = build_services(Settings.from_env(db.url), db)
    email = "contributor@example.org"
    services.accounts.add_user(Actor.operator("bench"), email, Role.CONTRIBUTOR,
                               password=generate_password())
    issued = services.sessions.start(services.accounts.get_user(email))
    token = services.sessions.csrf_token(issued.secret) or ""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(services=services), host="127.0.0.1",
                                           port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    body = upload_body(args.size_kb)

    baseline = percentiles(measure(url, args.seconds / 3))
    uploads: list[float] = []
    stop = threading.Event()

    def upload() -> None:
        with httpx.Client(timeout=600, cookies={COOKIE_NAME: issued.secret}) as client:
            n = 0
            while not stop.is_set():
                n += 1
                start = time.perf_counter()
                payload = body.replace(b"Item", f"I{n}".encode())
                client.post(url + "/submit/upload", data={"csrf_token": token},
                            files={"file": (f"batch-{n}.jsonl", payload)})
                uploads.append(time.perf_counter() - start)

    uploader = threading.Thread(target=upload)
    uploader.start()
    time.sleep(0.5)
    during = percentiles(measure(url, args.seconds))
    stop.set()
    uploader.join()
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()
    ratio = round(during["p99_ms"] / max(baseline["p99_ms"], 0.1), 1)
    print(f"GET / alone:          p50 {baseline['p50_ms']} ms, p99 {baseline['p99_ms']} ms")
    print(f"GET / during uploads: p50 {during['p50_ms']} ms, p99 {during['p99_ms']} ms "
          f"(max {during['max_ms']} ms; {len(uploads)} uploads of {len(body) // 1024} KB, "
          f"{statistics.mean(uploads) if uploads else 0:.1f} s each)")
    print(f"p99 during / alone: {ratio}x; target p99 under {TARGET_P99_MS} ms")
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average: {load[0]} {load[1]} {load[2]} (2 cores shared with any other work)")
    print(json.dumps({"bench": "upload_latency", "baseline": baseline, "during_upload": during,
                      "uploads": len(uploads), "upload_kb": len(body) // 1024,
                      "p99_ratio": ratio, "target_p99_ms": TARGET_P99_MS, "loadavg": load}))


if __name__ == "__main__":
    main()
