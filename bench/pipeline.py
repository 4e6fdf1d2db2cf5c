"""The ingest pipeline's throughput, each figure beside its baseline from the same run.

1. Store only (``--no-extract``), SQLite and PostgreSQL: batches of 250 in one
   transaction with a savepoint each, against the one-commit-per-article
   path (``batch_size=1``: the same code, one transaction per article).
   Targets: ≥ 1,000 articles/s on SQLite, ≥ 500 on PostgreSQL.
2. End to end with patterns, gazetteer and linking (no statistical NER) on
   SQLite: extraction after each committed batch, against the old path that
   extracted inside each article's transaction.  Target: ≥ 300 articles/s.
3. With NER: ``ExtractionService.extract_batch`` (spaCy ``nlp.pipe`` and the
   rest, results written) against spaCy's ``nlp.pipe`` alone on the same
   texts.  Target: ≥ 0.9× spaCy alone.
4. Queue workers on PostgreSQL: the same extraction jobs run by one
   ``kartoteka worker`` and then by two at once, deferred once every worker
   has loaded its models, timed from the first job's start to the last job's
   end.  Target ≥ 1.7×.  Beside it: the CPU the jobs took (workers and server
   backends, from /proc, model loading left out) and so the most this
   machine's cores allow, which tells a serial part from a machine that is
   simply full.

Articles are synthetic reports (bench/synthetic_corpus.py) read from one JSON
Lines file, with the demo registry loaded for the gazetteer and linking.
CPU seconds are printed beside wall seconds, with the load average: the
machine is shared, so wall-clock figures move with others' work.  On
PostgreSQL the server's CPU (its backends for the bench's database, read
from /proc) is added to this process's in ``per_s_cpu_with_server``.  The
batched and one-by-one paths must give the same outcomes on the same corpus.

    python bench/pipeline.py [--n 2000] [--baseline-n N] [--extract-n 600]
                             [--ner-n 150] [--jobs-n 400] [--skip-workers]
                             [--only store,end-to-end,ner,workers]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from proc_cpu import backend_cpu, cpu_seconds  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from synthetic_corpus import article, topic  # noqa: E402

from kartoteka.services import registry as registry_service  # noqa: E402
from kartoteka.services.extraction import ExtractionService  # noqa: E402
from kartoteka.services.ingest import IngestService  # noqa: E402
from kartoteka.services.placeholders import CatalogPlaceholders  # noqa: E402
from kartoteka.services.reposts import StoredRepostFinder  # noqa: E402
from kartoteka.services.wiring import ingest_service  # noqa: E402
from kartoteka.store.database import Database  # noqa: E402

PG_ADMIN = os.environ.get("KARTOTEKA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REGISTRY = ROOT / "kartoteka" / "sample_data" / "registry.ftm.jsonl"


def write_corpus(path: Path, n: int, seed: int, tag: str) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            record = {"title": f"Report {tag} {i}", "body": article(rng, topic(rng)),
                      "url": f"https://bench.example/{tag}/{i}", "language": "en"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds else 0.0


class Scratch:
    """A throwaway database on each backend."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_names: list[str] = []
        self.admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")

    def sqlite(self, name: str) -> Database:
        db = Database(f"sqlite:///{self.tmp / (name + '.db')}")
        db.migrate()
        return db

    def postgres(self) -> Database:
        name = f"kartoteka_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.pg_names.append(name)
        db = Database(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)
        db.migrate()
        return db

    def fresh(self, backend: str) -> Database:
        return self.sqlite(uuid.uuid4().hex[:8]) if backend == "sqlite" else self.postgres()

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.pg_names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def store_only(db: Database, corpus: Path, n: int, batch_size: int) -> dict[str, Any]:
    service = IngestService(db, reposts=StoredRepostFinder(), placeholders=CatalogPlaceholders(),
                            batch_size=batch_size)
    before = backend_cpu(db)
    report, wall, cpu = timed(lambda: service.ingest([str(corpus)], "jsonl"))
    after = backend_cpu(db)
    # The synthetic corpus holds a few near-duplicates: reposts are stored articles too.
    assert report.added + report.reposts == n and report.failed == 0, report.as_dict()
    figures: dict[str, Any] = {"n": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                               "per_s_wall": rate(n, wall), "per_s_cpu": rate(n, cpu),
                               "outcomes": {"added": report.added, "reposts": report.reposts}}
    if after:
        server = sum(t - before.get(pid, 0.0) for pid, t in after.items())
        figures["server_cpu_s"] = round(server, 2)
        figures["per_s_cpu_with_server"] = rate(n, cpu + server)
    return figures


def with_extraction(db: Database, corpus: Path, n: int, old_path: bool) -> dict[str, float]:
    registry_service.import_file(db, REGISTRY)
    extraction = ExtractionService(db, ner=False)
    extraction.pipeline()  # built before timing: both paths reuse one pipeline
    if old_path:
        service = IngestService(db, reposts=StoredRepostFinder(), after_store=[extraction.hook()],
                                placeholders=CatalogPlaceholders(), batch_size=1)
    else:
        service = ingest_service(db, extraction=extraction)
    report, wall, cpu = timed(lambda: service.ingest([str(corpus)], "jsonl"))
    assert report.added + report.reposts == n and report.failed == 0, report.as_dict()
    return {"n": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "per_s_wall": rate(n, wall), "per_s_cpu": rate(n, cpu)}


def ner_vs_spacy(db: Database, corpus: Path, n: int) -> dict[str, Any]:
    registry_service.import_file(db, REGISTRY)
    report = ingest_service(db, extract=False).ingest([str(corpus)], "jsonl")
    keys = [(i, 1) for i in report.article_ids]
    extraction = ExtractionService(db, ner=True)
    extraction.pipeline()  # models loaded before timing
    from kartoteka.extract.ner_en import load_model, model_name

    # The very model the pipeline runs, loaded as it loads it (NER and what NER
    # reads, nothing else): the baseline is the model's own cost.
    nlp = load_model(model_name())
    texts = [json.loads(line)["body"] for line in corpus.open(encoding="utf-8")]

    def spacy_alone() -> tuple[float, float]:
        _, wall, cpu = timed(lambda: sum(len(d.ents) for d in nlp.pipe(texts, batch_size=32)))
        return wall, cpu

    # Both warmed up first (first batches allocate), then each run twice, in turns,
    # and each one's better run kept, so the machine's load swings favour neither
    # (keeping spaCy's better of two against ours once favoured spaCy).  The second
    # extraction replaces the first's rows: the same work.
    list(nlp.pipe(texts[:16]))
    extraction.extract_batch(keys[:16])
    first = spacy_alone()
    done, ours_wall, ours_cpu = timed(lambda: extraction.extract_batch(keys))
    second = spacy_alone()
    again, ours_wall_2, ours_cpu_2 = timed(lambda: extraction.extract_batch(keys))
    assert (again.articles, again.mentions) == (done.articles, done.mentions), again.as_dict()
    spacy_wall, spacy_cpu = min(first[0], second[0]), min(first[1], second[1])
    ours_wall, ours_cpu = min(ours_wall, ours_wall_2), min(ours_cpu, ours_cpu_2)
    assert done.articles == n and done.mentions > 0, done.as_dict()
    return {"n": n, "spacy_alone": {"wall_s": round(spacy_wall, 2), "cpu_s": round(spacy_cpu, 2),
                                    "per_s_cpu": rate(n, spacy_cpu)},
            "pipeline": {"wall_s": round(ours_wall, 2), "cpu_s": round(ours_cpu, 2),
                         "per_s_cpu": rate(n, ours_cpu)},
            "ratio_cpu": round(spacy_cpu / ours_cpu, 2) if ours_cpu else 0.0,
            "ratio_wall": round(spacy_wall / ours_wall, 2) if ours_wall else 0.0}


def workers(scratch: Scratch, corpus: Path, n: int) -> dict[str, Any]:
    """One worker, then two, on the same jobs; job time from procrastinate's events."""
    from kartoteka.queue.app import build_app
    from kartoteka.queue.schema import ensure_queue_schema
    from kartoteka.queue.stage import DeferExtraction
    from kartoteka.queue.tasks import defer_extraction

    results: dict[str, Any] = {"n": n}
    for count in (1, 2):
        # Each run on a database of its own, freshly ingested, so both start from the
        # same state.  A run on the previous run's database found every article's
        # mentions stored already, and its recounts read about twice the rows (one
        # worker measured so: 1.0 s of CPU in count_ahead against 0.6 s), which was
        # then taken for two workers' overhead.
        db = scratch.postgres()
        ensure_queue_schema(db)
        registry_service.import_file(db, REGISTRY)
        app, runtime = build_app(db.url)
        with app.open():
            report = ingest_service(db, after_batch=[DeferExtraction(app)]).ingest(
                [str(corpus)], "jsonl")
        keys = [(i, 1) for i in report.article_ids]
        with db.transaction() as conn:  # smaller jobs than ingest's 50, so two can share
            conn.execute(text("DELETE FROM procrastinate_jobs"))
        env = dict(os.environ, KARTOTEKA_DATABASE_URL=db.url, PYTHONPATH=str(ROOT))
        # Workers start with nothing queued, and the jobs are deferred once every one
        # of them has loaded its models: the span is then the workers working together
        # (one that loaded first no longer works alone meanwhile).
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        logs = [tempfile.TemporaryFile() for _ in range(count)]  # noqa: SIM115
        procs = [subprocess.Popen([sys.executable, "-m", "kartoteka", "worker",
                                   "--queues", "extract"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log)
                 for log in logs]
        _wait_until(lambda logs=logs, procs=procs: all(
            b"models loaded" in _read(log) for log in logs)
            or any(proc.poll() is not None for proc in procs))
        assert all(proc.poll() is None for proc in procs), [_read(log)[-2000:] for log in logs]
        workers_from = _cpu_of([proc.pid for proc in procs])
        server_from = sum(backend_cpu(db).values())
        with app.open():
            for start in range(0, len(keys), 10):
                defer_extraction(app, keys[start:start + 10], f"{count}-{start}")
        _wait_until(partial(_all_done, db))
        # Workers' and server's CPU while the jobs ran (model loading left out): what
        # the work needs of the machine's cores, whoever does it.
        workers_cpu = _cpu_of([proc.pid for proc in procs]) - workers_from
        working_cpu = workers_cpu + sum(backend_cpu(db).values()) - server_from
        for proc in procs:
            proc.terminate()  # a worker finishes the job in hand, then exits
        for proc in procs:
            proc.wait()
        for log in logs:
            log.close()
        wall_total = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        with db.read() as conn:
            span = conn.execute(text(
                "SELECT extract(epoch FROM max(e.at) - min(s.at)) FROM procrastinate_jobs j "
                "JOIN procrastinate_events s ON s.job_id = j.id AND s.type = 'started' "
                "JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'succeeded' "
                "WHERE j.status = 'succeeded' AND j.task_name = 'extract_articles'")).scalar()
        runtime.close()
        db.dispose()
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        results[f"{count}_worker"] = {"jobs_wall_s": round(float(span or 0), 2),
                                      "process_wall_s": round(wall_total, 2),
                                      "cpu_s": round(cpu, 2),
                                      "working_cpu_s": round(working_cpu, 2),
                                      "workers_cpu_s": round(workers_cpu, 2),
                                      "per_s_jobs_wall": rate(n, float(span or 0)),
                                      # the largest worker so far (Linux reports KB)
                                      "worker_max_rss_mb": round(after.ru_maxrss / 1024)}
    one, two = results["1_worker"]["jobs_wall_s"], results["2_worker"]["jobs_wall_s"]
    results["speedup"] = round(one / two, 2) if two else 0.0
    # The best two workers can do here: the one-worker run's CPU (workers and server)
    # spread over every core, and never better than twice as fast.
    cores = os.cpu_count() or 1
    floor = max(results["1_worker"]["working_cpu_s"] / cores, one / 2)
    results["ceiling_on_these_cores"] = round(one / floor, 2) if floor else 0.0
    return results


def _cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) or 0.0 for pid in pids)


def _read(log: Any) -> bytes:
    log.seek(0)
    return bytes(log.read())


def _wait_until(check: Callable[[], bool], timeout: float = 900) -> None:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"still waiting after {timeout} s")
        time.sleep(0.1)


def _all_done(db: Database) -> bool:
    """No extraction job is waiting or running."""
    with db.read() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'extract_articles' "
            "AND status IN ('todo', 'doing')")).scalar_one()) == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--baseline-n", type=int, default=None,
                        help="articles for the baselines (default: the same as each figure's; "
                             "repost look-ups grow with the database, so equal sizes compare "
                             "fairly)")
    parser.add_argument("--extract-n", type=int, default=600)
    parser.add_argument("--ner-n", type=int, default=150)
    parser.add_argument("--jobs-n", type=int, default=400)
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--only", default="store,end-to-end,ner,workers",
                        help="which figures, comma-separated (default: all of "
                             "store,end-to-end,ner,workers)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    only = set(args.only.split(","))
    if args.skip_workers:
        only.discard("workers")
    out: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()],
                           "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("KARTOTEKA_CACHE_DIR", str(tmp / "cache"))
        scratch = Scratch(tmp)
        try:
            big = write_corpus(tmp / "big.jsonl", args.n, args.seed, "big")
            base_n = args.baseline_n or args.n
            small = write_corpus(tmp / "small.jsonl", base_n, args.seed, "big")
            for backend in ("sqlite", "postgresql") if "store" in only else ():
                db = scratch.fresh(backend)
                batched = store_only(db, big, args.n, 250)
                db.dispose()
                db = scratch.fresh(backend)
                baseline = store_only(db, small, base_n, 1)
                db.dispose()
                if base_n == args.n:  # the same corpus: both paths must give the same answers
                    assert batched["outcomes"] == baseline["outcomes"], (batched, baseline)
                out[f"store_{backend}"] = {"batched": batched, "one_commit_each": baseline,
                                           "ratio_wall": round(batched["per_s_wall"]
                                                               / baseline["per_s_wall"], 2),
                                           "ratio_cpu": round(batched["per_s_cpu"]
                                                              / baseline["per_s_cpu"], 2)}
                server = ""
                if "server_cpu_s" in batched:
                    server = (f"; with the server's CPU {batched['per_s_cpu_with_server']}/s vs "
                              f"{baseline['per_s_cpu_with_server']}/s")
                print(f"store only, {backend}: {batched['per_s_wall']}/s wall "
                      f"({batched['per_s_cpu']}/s CPU) vs one commit each "
                      f"{baseline['per_s_wall']}/s wall ({baseline['per_s_cpu']}/s CPU){server}",
                      flush=True)
            if "end-to-end" in only:
                end_to_end(scratch, tmp, args, out)
            if "ner" in only:
                ner_corpus = write_corpus(tmp / "ner.jsonl", args.ner_n, args.seed + 4, "ner")
                db = scratch.sqlite("ner")
                ner = ner_vs_spacy(db, ner_corpus, args.ner_n)
                db.dispose()
                out["ner"] = ner
                print(f"with NER: {ner['pipeline']['per_s_cpu']}/s CPU vs spaCy nlp.pipe alone "
                      f"{ner['spacy_alone']['per_s_cpu']}/s CPU: {ner['ratio_cpu']}x "
                      f"({ner['ratio_wall']}x wall)", flush=True)
            if "workers" in only:
                jobs_corpus = write_corpus(tmp / "jobs.jsonl", args.jobs_n, args.seed + 5, "j")
                w = workers(scratch, jobs_corpus, args.jobs_n)
                out["workers"] = w
                print(f"queue workers (NER), postgresql: 1 worker "
                      f"{w['1_worker']['per_s_jobs_wall']}/s, 2 workers "
                      f"{w['2_worker']['per_s_jobs_wall']}/s: {w['speedup']}x; one worker's "
                      f"jobs took {w['1_worker']['working_cpu_s']} s CPU with the server's in "
                      f"{w['1_worker']['jobs_wall_s']} s, so {w['ceiling_on_these_cores']}x "
                      f"is the most {out['cpus']} cores allow", flush=True)
        finally:
            scratch.close()
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average before {out['load_before']}, after {out['load_after']} "
          f"on {out['cpus']} CPUs (a shared machine: wall figures move with others' work)")
    print(json.dumps(out))


def end_to_end(scratch: Scratch, tmp: Path, args: argparse.Namespace,
               out: dict[str, Any]) -> None:
    """Patterns, gazetteer and linking after each batch, against the old in-transaction path."""
    extract_corpus = write_corpus(tmp / "extract.jsonl", args.extract_n, args.seed + 2, "x")
    extract_base_n = args.baseline_n or args.extract_n
    extract_small = write_corpus(tmp / "extract_small.jsonl", extract_base_n, args.seed + 2, "x")
    db = scratch.sqlite("extract")
    new = with_extraction(db, extract_corpus, args.extract_n, old_path=False)
    db.dispose()
    db = scratch.sqlite("extract-old")
    old = with_extraction(db, extract_small, extract_base_n, old_path=True)
    db.dispose()
    out["end_to_end_sqlite"] = {"batched": new, "in_transaction_each": old,
                                "ratio_cpu": round(new["per_s_cpu"] / old["per_s_cpu"], 2)}
    print(f"end to end (patterns, gazetteer, linking), sqlite: {new['per_s_wall']}/s "
          f"wall ({new['per_s_cpu']}/s CPU) vs old path {old['per_s_wall']}/s wall "
          f"({old['per_s_cpu']}/s CPU)", flush=True)


if __name__ == "__main__":
    main()
