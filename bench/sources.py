"""What a poll of watched sources costs when nothing changed, with and without 304s.

Serves N RSS feeds (each with an ETag) from a local server in a separate
process, watches them on a fresh database, polls once to store everything,
then polls again twice with nothing changed:

* conditional: the poller sends If-None-Match and gets 304 (what it does);
* baseline: the same poll with the validators forgotten, so every feed is
  fetched, parsed and each item found unchanged by the idempotent store.

CPU time is this process's only (the server runs in another process); the
machine is shared, so the load average is printed too.  The last line is JSON.

    python bench/sources.py [--feeds 50] [--items 30] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kartoteka.services.ingest import IngestService  # noqa: E402
from kartoteka.services.polling import PollReport, SourcePoller  # noqa: E402
from kartoteka.services.sources import SourceService  # noqa: E402
from kartoteka.store.database import Database  # noqa: E402
from kartoteka.store.sources import SourceRepository  # noqa: E402

WORDS = ("border police arrested commander smuggling weapons checkpoint protest court hearing "
         "village brigade unit ceasefire convoy report witness prosecutor militia").split()


def feed(n: int, items: int) -> bytes:
    entries = []
    for i in range(items):
        text = " ".join(WORDS[(n * 7 + i * 3 + k) % len(WORDS)] for k in range(80))
        entries.append(f"<item><guid>f{n}-i{i}</guid><title>Feed {n} item {i}</title>"
                       f"<link>https://news{n}.example/{i}</link>"
                       f"<description>{text} (feed {n}, item {i})</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {n}</title><link>https://news{n}.example/</link>"
            f"{''.join(entries)}</channel></rss>").encode()


def serve(port: int, feeds: int, items: int) -> None:
    bodies = {f"/feed/{n}": feed(n, items) for n in range(feeds)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            body = bodies.get(self.path)
            etag = f'"{self.path}"'
            if body is None:
                self.send_response(404)
                self.end_headers()
            elif self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(poll: Callable[[], PollReport]) -> tuple[PollReport, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    report = poll()
    return report, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(port, args.feeds, args.items),
                                     daemon=True)
    server.start()
    time.sleep(0.5)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.db or f"sqlite:///{tmp}/sources.db")
        db.migrate()
        now = [datetime.now(UTC)]

        def clock() -> datetime:
            return now[0]

        service = SourceService(db, clock=clock)
        for n in range(args.feeds):
            service.add(f"http://127.0.0.1:{port}/feed/{n}", every="1h")
        poller = SourcePoller(db, ingest=IngestService(db), clock=clock)
        first, first_cpu, first_wall = timed(poller.poll_due)
        now[0] += timedelta(hours=1)
        conditional, cond_cpu, cond_wall = timed(poller.poll_due)
        with db.transaction() as conn:
            repo = SourceRepository(conn)
            for source in repo.all():
                source.etag = source.last_modified = None
                repo.save_state(source)
        now[0] += timedelta(hours=1)
        baseline, base_cpu, base_wall = timed(poller.poll_due)
        poller.close()
        db.dispose()
    server.terminate()
    load = os.getloadavg()
    n = args.feeds
    assert first.added == n * args.items, first.as_dict()
    assert all(p.result == "not_modified" for p in conditional.polls)
    assert baseline.added == 0 and all(p.unchanged == args.items for p in baseline.polls)
    print(f"{n} feeds x {args.items} items; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} (a shared, loaded machine)")
    print(f"first poll (stores everything): {first_cpu * 1000 / n:.1f} ms CPU/feed, "
          f"{first_wall:.2f} s wall")
    print(f"unchanged, conditional GET (304): {cond_cpu * 1000 / n:.2f} ms CPU/feed, "
          f"{cond_wall:.2f} s wall")
    print(f"unchanged, baseline full re-fetch: {base_cpu * 1000 / n:.2f} ms CPU/feed, "
          f"{base_wall:.2f} s wall")
    print(f"ratio baseline/conditional CPU: {base_cpu / cond_cpu:.1f}x")
    print(json.dumps({
        "feeds": n, "items": args.items, "load_average": load,
        "first_cpu_ms_per_feed": first_cpu * 1000 / n,
        "conditional_cpu_ms_per_feed": cond_cpu * 1000 / n,
        "baseline_cpu_ms_per_feed": base_cpu * 1000 / n,
        "conditional_wall_s": cond_wall, "baseline_wall_s": base_wall,
        "ratio_cpu": base_cpu / cond_cpu,
    }))


if __name__ == "__main__":
    main()
