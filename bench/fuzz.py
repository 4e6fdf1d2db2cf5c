"""Fuzz every reader and importer with hostile inputs and count how each one fails.

    python bench/fuzz.py [--n 10000] [--seed 1] [--targets feed,jsonl] [--save DIR]

For each target (the eleven readers: seven text formats and the PDF, DOCX, ODT
and image (OCR) readers; ``auto`` = detection then the chosen reader as an upload
does; the FtM and CSV registry importers and the catalog-post parser)
it reads N inputs from ``bench/fuzz_inputs.py`` in a child process of its own, so
peak memory is that target's alone, and prints: tried, inputs that gave a clean
error, unhandled (an exception escaped), guarded (an exception no check foresaw,
caught and logged only by the last-resort guard), inputs over 5 s of CPU time
(wall time on a shared machine measures the neighbours; the slowest wall time
is printed too; Tesseract's CPU counts, as it runs in a child) and peak RSS.
The target is 0 unhandled and 0 over 5 s.  Documents run with a 30 s time
budget each (``KARTOTEKA_DOCUMENT_SECONDS``, 600 s by default) and the default
OCR page cap (50); an input they stop is a clean error.  Each child first reads ``WARM_UP``
untimed inputs, so libraries' one-time start-up costs are not counted as slow.
There is no baseline: before this script, the first unhandled input stopped the
run.  ``--jobs`` runs that many children at once.  The last line is JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fuzz_inputs import TARGETS, generate, run  # noqa: E402
from kartoteka.ingest.budget import SECONDS_ENV  # noqa: E402

SLOW_SECONDS = 5.0
HANG_SECONDS = 60
# Inputs read before timing starts: libraries build caches on first use (htmldate's
# dateparser compiles regexes for 200 locales, trafilatura loads every justext
# stoplist), once per process, and that took 10-15 s on a loaded machine.
WARM_UP = 30  # an input still running after this is stopped and counted as slow
# Each document's time budget under the fuzzer (KARTOTEKA_DOCUMENT_SECONDS; set it
# to override); a real document gets 600 s.  It is wall time, so it must leave room
# for the neighbours: with 2 s, at load 15 on 2 cores, a third of ordinary PDFs were
# stopped mid-OCR and the run fuzzed the budget instead of the readers; with 30 s
# none were.  The inputs that ran for minutes (hundreds of pages to OCR) are
# refused by the OCR page cap before OCR starts, and CPU over 5 s is still counted.
FUZZ_DOCUMENT_SECONDS = "30"


class _Guarded(logging.Handler):
    """Counts tracebacks kartoteka logged: exceptions only the last guard caught."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.examples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("kartoteka") and record.exc_info:
            self.count += 1
            if len(self.examples) < 3:
                exc = record.exc_info[1]
                self.examples.append(f"{type(exc).__name__}: {str(exc)[:120]}")


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (Tesseract)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def worker(target: str, n: int, seed: int, save: Path | None) -> dict[str, object]:
    """Run ``n`` inputs for one target in this process; the counts as a dict."""
    os.environ.setdefault(SECONDS_ENV, FUZZ_DOCUMENT_SECONDS)
    guard = _Guarded()
    logging.getLogger().addHandler(guard)
    logging.getLogger().setLevel(logging.ERROR)
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - warcio prints warnings there
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(f"{seed}:{target}")
    warm = random.Random(f"warm-up:{target}")
    for _ in range(WARM_UP):  # first-use costs, paid once per process, are not timed
        with contextlib.suppress(Exception):  # counted in the timed run if it recurs
            run(target, generate(target, warm))
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clean = unhandled = slow = 0
    examples: list[str] = []
    slowest = slowest_cpu = 0.0
    started = time.perf_counter()
    for index in range(n):
        data = generate(target, rng)
        t0, cpu0 = time.perf_counter(), _cpu()
        signal.alarm(HANG_SECONDS)
        failed: BaseException | None = None
        guarded_before = guard.count
        try:
            _read, errors = run(target, data)
            clean += errors > 0
        except _Hang as exc:
            failed = exc
        except Exception as exc:
            failed = exc
            unhandled += 1
            if len(examples) < 3:
                examples.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        finally:
            signal.alarm(0)
        took, cpu = time.perf_counter() - t0, _cpu() - cpu0
        slowest, slowest_cpu = max(slowest, took), max(slowest_cpu, cpu)
        if cpu > SLOW_SECONDS or isinstance(failed, _Hang):
            slow += 1
        suspect = failed is not None or guard.count > guarded_before
        if save is not None and (suspect or cpu > SLOW_SECONDS):
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{target}-{index}.bin").write_bytes(data)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "target": target, "tried": n, "clean_errors": clean, "unhandled": unhandled,
        "guarded": guard.count, "over_5s": slow, "slowest_cpu_s": round(slowest_cpu, 2),
        "slowest_wall_s": round(slowest, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_over_start_mb": round((peak_kb - base_kb) / 1024, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "examples": examples + guard.examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--save", type=Path,
                        help="write unhandled, guarded and slow inputs here")
    parser.add_argument("--jobs", type=int, default=1, help="children run at once")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        # Libraries print (odfpy to stdout, warcio to stderr); the parent reads our
        # stdout only at the end, so a full pipe would stall this child for good.
        report = os.fdopen(os.dup(sys.stdout.fileno()), "w")
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        print(json.dumps(worker(args.worker, args.n, args.seed, args.save)), file=report)
        report.close()
        return
    targets = [t for t in args.targets.split(",") if t]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets {sorted(unknown)}; choose from {', '.join(TARGETS)}")
    print(f"{'target':<9} {'tried':>6} {'clean err':>9} {'unhandled':>9} {'guarded':>7} "
          f"{'over 5 s':>8} {'max cpu':>8} {'max wall':>8} {'peak MB':>8} {'time s':>7}",
          flush=True)
    children: dict[str, subprocess.Popen[str]] = {}
    logs: dict[str, IO[str]] = {}
    pending = list(targets)
    rows: dict[str, dict[str, Any]] = {}
    while pending or children:
        while pending and len(children) < args.jobs:
            target = pending.pop(0)
            command = [sys.executable, __file__, "--worker", target, "--n", str(args.n),
                       "--seed", str(args.seed)]
            if args.save:
                command += ["--save", str(args.save)]
            # stderr to a file: a chatty library must not fill a pipe and stall the child.
            logs[target] = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
            children[target] = subprocess.Popen(command, stdout=subprocess.PIPE,
                                                stderr=logs[target], text=True)
        finished = next((t for t, p in children.items() if p.poll() is not None), None)
        if finished is None:
            time.sleep(0.5)
            continue
        out, _ = children.pop(finished).communicate()
        log = logs.pop(finished)
        log.seek(0)
        rows[finished] = _row(finished, args.n, out, log.read()[-2000:])
        log.close()
        _print_row(rows[finished])
    ordered = [rows[t] for t in targets]
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} CPUs)")
    print(json.dumps({
        "benchmark": "fuzz", "n": args.n, "seed": args.seed,
        "unhandled": sum(r["unhandled"] for r in ordered),
        "guarded": sum(r["guarded"] for r in ordered),
        "over_5s": sum(r["over_5s"] for r in ordered),
        "load_average": [round(x, 2) for x in load],
        "targets": {r["target"]: {k: v for k, v in r.items() if k != "target"} for r in ordered},
    }))


def _row(target: str, n: int, out: str, err: str) -> dict[str, Any]:
    try:
        row: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    except (IndexError, ValueError):  # the child died: count every input as unhandled
        row = {"target": target, "tried": n, "clean_errors": 0, "unhandled": n, "guarded": 0,
               "over_5s": 0, "slowest_cpu_s": 0, "slowest_wall_s": 0, "peak_rss_mb": 0,
               "peak_over_start_mb": 0, "seconds": 0, "examples": [f"worker died: {err[-300:]}"]}
    return row


def _print_row(row: dict[str, Any]) -> None:
    print(f"{row['target']:<9} {row['tried']:>6} {row['clean_errors']:>9} "
          f"{row['unhandled']:>9} {row['guarded']:>7} {row['over_5s']:>8} "
          f"{row['slowest_cpu_s']:>8} {row['slowest_wall_s']:>8} {row['peak_rss_mb']:>8} "
          f"{row['seconds']:>7}", flush=True)
    for example in row["examples"]:
        print(f"          e.g. {example}", flush=True)


if __name__ == "__main__":
    main()
