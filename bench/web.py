"""Load test of the web app: the article page and the search API under concurrent clients.

Runs uvicorn (several workers, no access log) on the demo database and drives
it with wrk (Debian's ``wrk``) or, where wrk is missing, an async httpx client.
A static file is measured the same way as the baseline: it is the fastest
thing the server can answer, so the ratio shows what a page costs beyond the
server's own overhead.  The last line printed is one JSON object.

    python bench/web.py [--clients 32] [--seconds 30] [--workers 2] [--tool auto]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kartoteka.services.demo import SAMPLE_DATA, build_demo  # noqa: E402

TARGETS = {"p99_ms": 150.0, "article_rps": 300.0}
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Result:
    name: str
    path: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_database(work: Path) -> tuple[Path, str]:
    """The demo database; the test corpus stands in while the sample data is absent."""
    root = SAMPLE_DATA
    if (
        not any((SAMPLE_DATA / "articles").glob("*"))
        if (SAMPLE_DATA / "articles").is_dir()
        else True
    ):
        root = work / "sample"
        shutil.copytree(REPO / "tests" / "data" / "corpus", root / "articles")
    db, summary = build_demo(work / "demo.db", root=root)
    db.dispose()
    return work / "demo.db", f"{summary.articles} articles from {root}"


def start_server(database: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KARTOTEKA_DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "kartoteka.web.app:app_from_env",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/static/css/site.css", timeout=1).status_code
                == 200
            ):
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("uvicorn did not start within 60 s")


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value.strip())
    if not match:
        raise ValueError(f"cannot read a wrk latency from {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(name: str, url: str, path: str, clients: int, seconds: int) -> Result:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", url + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return Result(
        name=name,
        path=path,
        requests=requests,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
    )


async def _httpx_load(url: str, clients: int, seconds: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - began) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return latencies, errors, time.perf_counter() - began


def run_httpx(name: str, url: str, path: str, clients: int, seconds: int) -> Result:
    latencies, errors, elapsed = asyncio.run(_httpx_load(url + path, clients, seconds))
    cuts = statistics.quantiles(latencies, n=100)
    return Result(name, path, len(latencies), len(latencies) / elapsed, cuts[49], cuts[98], errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--tool", choices=["auto", "wrk", "httpx"], default="auto")
    args = parser.parse_args()
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    runner = run_wrk if tool == "wrk" else run_httpx

    with tempfile.TemporaryDirectory() as tmp:
        database, described = demo_database(Path(tmp))
        port = free_port()
        server = start_server(database, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            listing = httpx.get(f"{base}/api/v1/articles", params={"limit": 1}).json()
            article = listing["items"][0]
            word = max(re.findall(r"\w{5,}", article["title"]) or ["the"], key=len)
            plan = [
                ("baseline static file", "/static/css/site.css"),
                ("article page", f"/articles/{article['id']}"),
                ("search API", f"/api/v1/search?q={word}"),
            ]
            print(
                f"demo database: {described}; {args.workers} uvicorn workers; {tool}, "
                f"{args.clients} clients, {args.seconds} s per target; {os.cpu_count()} cores"
            )
            results = [runner(name, base, path, args.clients, args.seconds) for name, path in plan]
        finally:
            server.terminate()
            server.wait(timeout=30)

    for r in results:
        print(
            f"{r.name:22} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms  "
            f"errors {r.errors}  ({r.requests} requests, {r.path})"
        )
    baseline, article_page, search_api = results
    ratio = article_page.rps / baseline.rps if baseline.rps else 0.0
    meets = article_page.rps >= TARGETS["article_rps"] and article_page.p99_ms <= TARGETS["p99_ms"]
    print(
        f"article page / baseline throughput ratio: {ratio:.3f}; "
        f"targets (>= {TARGETS['article_rps']:.0f} req/s, p99 <= {TARGETS['p99_ms']:.0f} ms): "
        f"{'met' if meets else 'NOT met'}"
    )
    print(
        json.dumps(
            {
                "tool": tool,
                "clients": args.clients,
                "seconds": args.seconds,
                "workers": args.workers,
                "cores": os.cpu_count(),
                "results": {r.name: asdict(r) for r in results},
                "article_to_baseline_ratio": round(ratio, 4),
                "search_to_baseline_ratio": round(search_api.rps / baseline.rps, 4)
                if baseline.rps
                else 0,
                "targets_met": meets,
            }
        )
    )


if __name__ == "__main__":
    main()
