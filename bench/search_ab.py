"""Search as it is against search as it was at a git revision, interleaved, query by query.

    python bench/search_ab.py --db postgresql+psycopg://postgres@127.0.0.1/search1m_bench \\
        --against HEAD~1 --classes filter-country,prefix --per-class 60

On the shared machines here the host's speed drifts by half from one
minute to the next (``search.host_speed_ms``), so two runs of
``bench/search.py`` taken minutes apart cannot tell a 10% change from the
drift.  This runs every query of ``bench/search_queries.py`` both ways,
alternating which goes first, ``--repeat`` times each, and compares the
median of each query's runs: CPU of this process and its PostgreSQL
backend, as ``bench/search.py`` counts it.

"As it was" is ``kartoteka/store/search.py`` (``--module``) read from the
revision and loaded beside the current one; everything it imports is the
current code.  So a change confined to that module is compared exactly; for
one that also changed ``store/search_index.py`` or others, compare whole
checkouts instead.  Queries whose medians differ by more than
``--show-ms`` are listed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search import _cpu_ms, _server_pids, host_speed_ms, percentile, search
from bench.search_queries import Query, query_set
from kartoteka.services import search as service_search
from kartoteka.store import search as store_search
from kartoteka.store.database import Database

ROOT = Path(__file__).resolve().parents[1]


def module_at(revision: str, path: str) -> ModuleType:
    """``path`` as it was at ``revision``, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout
    name = "search_at_" + "".join(c if c.isalnum() else "_" for c in revision)
    file = Path(tempfile.mkdtemp()) / f"{name}.py"
    file.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def timed(db: Database, q: Query) -> float:
    before = _cpu_ms()
    search(db, q.text, q.flt, limit=20, offset=q.offset)
    return _cpu_ms() - before


def compare(
    db: Database, queries: list[Query], sides: dict[str, Callable[..., Any]], repeat: int
) -> list[tuple[Query, dict[str, float]]]:
    """Each query's median CPU ms on each side, the sides alternating which runs first."""
    results = []
    labels = list(sides)
    for number, q in enumerate(queries):
        times: dict[str, list[float]] = {label: [] for label in labels}
        for run in range(repeat):
            order = labels if (number + run) % 2 == 0 else labels[::-1]
            for label in order:
                service_search.search_articles = sides[label]  # type: ignore[attr-defined]
                times[label].append(timed(db, q))
        results.append((q, {label: statistics.median(t) for label, t in times.items()}))
    service_search.search_articles = sides["now"]  # type: ignore[attr-defined]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (a filled bench database)")
    parser.add_argument("--against", default="HEAD~1", help="git revision to compare with")
    parser.add_argument("--module", default="kartoteka/store/search.py")
    parser.add_argument("--classes", default="", help="query classes, comma-separated (all)")
    parser.add_argument("--per-class", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query on each side")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-ms", type=float, default=5.0)
    args = parser.parse_args()

    old = module_at(args.against, args.module)
    sides = {"now": store_search.search_articles, args.against: old.search_articles}
    wanted = set(filter(None, args.classes.split(",")))
    queries = [
        q for q in query_set(args.seed, args.per_class, False) if not wanted or q.kind in wanted
    ]
    db = Database(args.db)
    for q in queries[:10]:  # warm the caches
        search(db, q.text, q.flt, offset=q.offset)
    _server_pids(db)
    load, speed = os.getloadavg()[0], host_speed_ms()
    results = compare(db, queries, sides, args.repeat)
    print(f"{len(queries)} queries x {args.repeat} runs a side; CPU ms, median of each "
          f"query's runs; now vs {args.against}")
    print(f"{'class':15s} {'now p50/p95/p99':>22s} | {args.against + ' p50/p95/p99':>22s}")
    classes = [*sorted({q.kind for q, _ in results}), "all"]
    for kind in classes:
        rows = [t for q, t in results if kind in ("all", q.kind)]
        cells = [
            " ".join(f"{percentile([t[label] for t in rows], p):6.1f}" for p in (50, 95, 99))
            for label in sides
        ]
        print(f"{kind:15s} {cells[0]:>22s} | {cells[1]:>22s}")
    for q, t in results:
        if abs(t["now"] - t[args.against]) > args.show_ms:
            print(f"  {q.kind} {q.text!r} {q.flt.country or ''}: "
                  f"now {t['now']:.1f}, {args.against} {t[args.against]:.1f}")
    print(f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after; host speed probe "
          f"{speed:.0f} ms before, {host_speed_ms():.0f} after")
    db.dispose()


if __name__ == "__main__":
    main()
