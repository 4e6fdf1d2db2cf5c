"""Load test of the web app: the article page and the search API under concurrent clients.

Runs uvicorn (several workers, no access log) on the demo database and drives
it with wrk (Debian's ``wrk``) or, where wrk is missing, an async httpx client.
A static file is measured the same way as the baseline: it is the fastest
thing the server can answer, so the ratio shows what a page costs beyond the
server's own overhead.  The app keeps rendered public pages for anonymous
readers until the next commit (``kartoteka.web.page_cache``), which is how it
is deployed; the article page and the search API are then measured again on
a second server with that cache off, so the cost of building a page shows too,
and once more with the cache on while a writer commits every second (each
commit empties every worker's cache), as during an editor's working day.
Every target gets a two-second warm-up whose figures are dropped.
On a shared machine the wall-clock figures move with everyone else's load, so
the server's CPU time per request is read from /proc as well: it is what a
request costs whatever else is running.
The last line printed is one JSON object.

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
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.proc_cpu import cpu_seconds  # noqa: E402
from kartoteka.services.demo import SAMPLE_DATA, build_demo  # noqa: E402

TARGETS = {"p99_ms": 150.0, "article_rps": 300.0}
WARM_UP_SECONDS = 2
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
    server_cpu_ms_per_request: float = 0.0


def _tree_pids(root: int) -> list[int]:
    """The server and its worker processes, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, frontier = [root], [root]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, [])]
        found.extend(frontier)
    return found


def server_cpu_seconds(root: int) -> float:
    """User + system CPU time used so far by the server's processes.

    On a shared machine wall-clock throughput depends on what else runs;
    CPU time per request is what the app itself costs.
    """
    return sum(cpu_seconds(pid) or 0.0 for pid in _tree_pids(root))


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


def start_server(
    database: Path, port: int, workers: int, *, page_cache: bool = True
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "KARTOTEKA_DATABASE_URL": f"sqlite:///{database}",
        "KARTOTEKA_PAGE_CACHE_MB": "64" if page_cache else "0",
        "PYTHONPATH": str(REPO),
    }
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
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "99" not in percentiles:
        raise SystemExit(f"wrk gave no latency distribution for {path}:\n{output}")
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


def describe_plan(database: Path, workers: int) -> list[tuple[str, str]]:
    """What to load: the article with the most linked entities (the heaviest page),
    a word from its title for the search API, and that top entity's page."""
    port = free_port()
    server = start_server(database, port, workers, page_cache=False)
    base = f"http://127.0.0.1:{port}"
    try:
        top = httpx.get(f"{base}/api/v1/entities", params={"limit": 1}).json()["items"][0]
        entity = httpx.get(f"{base}/api/v1/entities/{top['id']}").json()
        article = httpx.get(f"{base}/api/v1/articles/{entity['articles'][0]['id']}").json()
    finally:
        server.terminate()
        server.wait(timeout=30)
    word = max(re.findall(r"\w{5,}", article["title"]) or ["the"], key=len)
    return [
        ("baseline static file", "/static/css/site.css"),
        ("article page", f"/articles/{article['id']}"),
        ("search API", f"/api/v1/search?q={word}"),
        ("entity page", f"/entities/{top['id']}"),
    ]


class Committer:
    """Commits to the database once every ``period`` seconds while active."""

    def __init__(self, database: Path, period: float = 1.0) -> None:
        self.database = database
        self.period = period
        self.commits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self.database, timeout=10)
        try:
            while not self._stop.wait(self.period):
                with conn:  # a real commit (a no-op UPDATE would write nothing)
                    conn.execute(
                        "INSERT INTO sessions (id_hash, created_at, expires_at, csrf_secret) "
                        "VALUES (?, '2000-01-01 00:00:00', '2000-01-01 00:00:00', '')",
                        (os.urandom(32).hex(),),
                    )
                self.commits += 1
        finally:
            conn.close()

    def __enter__(self) -> Committer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(
    runner: Callable[[str, str, str, int, int], Result],
    server: subprocess.Popen[bytes],
    name: str,
    base: str,
    path: str,
    args: argparse.Namespace,
) -> Result:
    """One target under load, with the server's CPU time per request.

    A two-second run first, whose figures are dropped: each worker's first
    request compiles templates and statements (~100 ms), which says nothing
    about the steady state and would otherwise sit in the p99 of a short run.
    """
    runner(name, base, path, args.clients, WARM_UP_SECONDS)
    cpu_before = server_cpu_seconds(server.pid)
    result = runner(name, base, path, args.clients, args.seconds)
    used = server_cpu_seconds(server.pid) - cpu_before
    result.server_cpu_ms_per_request = 1000 * used / result.requests if result.requests else 0.0
    return result


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
        plan = describe_plan(database, args.workers)
        print(
            f"demo database: {described}; {args.workers} uvicorn workers; {tool}, "
            f"{args.clients} clients, {args.seconds} s per target; {os.cpu_count()} cores"
        )
        results = []
        commits = 0
        for cached, targets in ((True, plan), (False, plan[1:3])):
            port = free_port()
            server = start_server(database, port, args.workers, page_cache=cached)
            base = f"http://127.0.0.1:{port}"
            try:
                for name, path in targets:
                    label = name if cached else f"{name}, no cache"
                    results.append(measure(runner, server, label, base, path, args))
                if cached:
                    with Committer(database) as committer:
                        label = "article page, 1 commit/s"
                        results.append(measure(runner, server, label, base, plan[1][1], args))
                    commits = committer.commits
            finally:
                server.terminate()
                server.wait(timeout=30)
        load = os.getloadavg()

    for r in results:
        print(
            f"{r.name:26} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms  "
            f"server CPU {r.server_cpu_ms_per_request:6.2f} ms/req  "
            f"errors {r.errors}  ({r.requests} requests, {r.path})"
        )
    baseline, article_page, search_api, entity_page, article_busy, article_cold, search_cold = (
        results
    )
    cpu_ratio = (
        article_page.server_cpu_ms_per_request / baseline.server_cpu_ms_per_request
        if baseline.server_cpu_ms_per_request
        else 0.0
    )
    capacity = 1000 * (os.cpu_count() or 1) / (article_page.server_cpu_ms_per_request or 1)
    print(
        f"load average after the run {load[0]:.2f} on {os.cpu_count()} cores; "
        f"article page costs {cpu_ratio:.1f}x the static file's server CPU; "
        f"{capacity:.0f} req/s if the server had every core to itself"
    )
    ratio = article_page.rps / baseline.rps if baseline.rps else 0.0
    meets = (
        article_page.rps >= TARGETS["article_rps"]
        and max(article_page.p99_ms, search_api.p99_ms) <= TARGETS["p99_ms"]
        and article_page.errors + search_api.errors == 0
    )
    cold_meets = (
        article_cold.rps >= TARGETS["article_rps"]
        and max(article_cold.p99_ms, search_cold.p99_ms) <= TARGETS["p99_ms"]
    )
    print(
        f"article page / baseline throughput ratio: {ratio:.3f}; "
        f"targets (>= {TARGETS['article_rps']:.0f} req/s, p99 <= {TARGETS['p99_ms']:.0f} ms "
        f"for the article page and the search API, no errors): "
        f"{'met' if meets else 'NOT met'}; with the page cache off: "
        f"{'met' if cold_meets else 'NOT met'}"
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
                "article_no_cache_rps": round(article_cold.rps, 1),
                "article_with_commits_rps": round(article_busy.rps, 1),
                "commits_during_that_run": commits,
                "search_no_cache_rps": round(search_cold.rps, 1),
                "search_to_baseline_ratio": round(search_api.rps / baseline.rps, 4)
                if baseline.rps
                else 0,
                "entity_to_baseline_ratio": round(entity_page.rps / baseline.rps, 4)
                if baseline.rps
                else 0,
                "article_cpu_to_baseline_ratio": round(cpu_ratio, 4),
                "article_rps_at_full_cpu": round(capacity, 1),
                "load_average": round(load[0], 2),
                "targets_met": meets,
                "targets_met_without_page_cache": cold_meets,
            }
        )
    )


if __name__ == "__main__":
    main()
