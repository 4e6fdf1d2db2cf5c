"""Reader and repost-detection throughput on a seeded synthetic corpus.

Prints articles/s for every format (the readers only, no storage), then
repost detection: signatures/s, LSH index add+query docs/s and memory per
indexed document, against a brute-force pairwise Jaccard baseline on the
same small N measured in the same run, with the ratio and the LSH's recall
of the pairs the baseline finds.

    python bench/ingest.py [--n 400] [--dedup-n 20000] [--baseline-n 600] [--seed 3]

The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic_corpus import article, edited_copy, topic  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from kartoteka.dedup import RepostIndex, repost_threshold, shingles, signature  # noqa: E402
from kartoteka.ingest.base import Input, ReadOptions  # noqa: E402
from kartoteka.ingest.fields import guess_language  # noqa: E402
from kartoteka.ingest.formats import reader_for  # noqa: E402
from kartoteka.model import ArticleDraft  # noqa: E402


def corpus(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(title, body) pairs; a tenth of the bodies are edited copies of earlier ones."""
    out: list[tuple[str, str]] = []
    for i in range(n):
        if out and rng.random() < 0.1:
            body = edited_copy(rng, rng.choice(out)[1])
        else:
            body = article(rng, topic(rng))
        out.append((f"Synthetic report {i}", body))
    return out


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))


def page(title: str, body: str, n: int) -> bytes:
    paragraphs = _paragraphs(body)
    return (f'<!DOCTYPE html><html lang="en"><head><title>{html.escape(title)}</title>'
            f'<link rel="canonical" href="https://bench.example/{n}"></head><body>'
            '<nav><a href="/">Home</a> <a href="/news">News</a></nav><article>'
            f"<h1>{html.escape(title)}</h1>{paragraphs}</article>"
            "<footer>© Bench Media</footer></body></html>").encode()


def inputs(docs: list[tuple[str, str]]) -> dict[str, list[Input]]:
    """Every format holding the same articles: one file per article or one file for all."""
    messages = [{"id": i + 1, "type": "message", "date": "2024-01-01T00:00:00",
                 "date_unixtime": str(1704067200 + i), "from": "Bench", "from_id": "channel1",
                 "text": f"{t}\n{b}", "text_entities": [{"type": "plain", "text": f"{t}\n{b}"}]}
                for i, (t, b) in enumerate(docs)]
    telegram = json.dumps({"name": "Bench", "type": "public_channel", "id": 1,
                           "messages": messages}).encode()
    items = "".join(f"<item><title>{html.escape(t)}</title><guid>g{i}</guid>"
                    f"<link>https://bench.example/{i}</link>"
                    f"<description>{html.escape(_paragraphs(b))}</description></item>"
                    for i, (t, b) in enumerate(docs))
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
           f"<link>https://bench.example/</link>{items}</channel></rss>").encode()
    jsonfeed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Bench",
                           "items": [{"id": f"j{i}", "title": t, "content_text": b}
                                     for i, (t, b) in enumerate(docs)]}).encode()
    jsonl = "\n".join(json.dumps({"id": str(i), "title": t, "body": b})
                      for i, (t, b) in enumerate(docs)).encode()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i, (t, b) in enumerate(docs):
        payload = page(t, b, i)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://bench.example/{i}", "response", payload=io.BytesIO(payload),
            http_headers=headers))
    return {
        "text": [Input(f"{i}.txt", f"{t}\n\n{b}".encode()) for i, (t, b) in enumerate(docs)],
        "markdown": [Input(f"{i}.md", f"# {t}\n\n{b}".encode()) for i, (t, b) in enumerate(docs)],
        "html": [Input(f"{i}.html", page(t, b, i)) for i, (t, b) in enumerate(docs)],
        "telegram": [Input("result.json", telegram)],
        "feed": [Input("rss.xml", rss), Input("feed.json", jsonfeed)],
        "warc": [Input("bench.warc.gz", buffer.getvalue())],
        "jsonl": [Input("bench.jsonl.gz", gzip.compress(jsonl))],
    }


def read_rate(name: str, batch: list[Input]) -> tuple[int, float]:
    reader = reader_for(name)
    start = time.perf_counter()
    count = sum(isinstance(item, ArticleDraft)
                for source in batch for item in reader.read(source, ReadOptions()))
    return count, count / (time.perf_counter() - start)


def timed(action: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=400, help="articles per format")
    parser.add_argument("--dedup-n", type=int, default=20000)
    parser.add_argument("--baseline-n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    figures: dict[str, object] = {"n": args.n}

    # py3langid loads its model on first use (seconds); keep that out of one format's rate.
    _, load_seconds = timed(lambda: guess_language("warm up the language model"))
    figures["language_model_load_s"] = round(load_seconds, 2)
    rates = {}
    for name, batch in inputs(corpus(rng, args.n)).items():
        count, rate = read_rate(name, batch)
        rates[name] = round(rate, 1)
        print(f"{name:<9} {count:>6} articles  {rate:>10.1f} articles/s")
    figures["articles_per_s"] = rates

    texts = [body for _, body in corpus(rng, args.dedup_n)]
    signatures, seconds = timed(lambda: [signature(t) for t in texts])
    sigs: list[bytes] = signatures  # type: ignore[assignment]
    figures["signatures_per_s"] = round(len(texts) / seconds, 1)
    threshold = repost_threshold()
    index = RepostIndex(threshold)
    _, add_seconds = timed(lambda: [index.add(str(i), s) for i, s in enumerate(sigs)])
    tracemalloc.start()  # a second index, traced: tracing would slow the timed one
    before = tracemalloc.take_snapshot()
    traced = RepostIndex.from_pairs((str(i), s) for i, s in enumerate(sigs))
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    memory = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert len(traced) == len(sigs)
    _, query_seconds = timed(lambda: [index.query(s) for s in sigs])
    figures["dedup_n"] = len(texts)
    figures["index_add_docs_per_s"] = round(len(texts) / add_seconds, 1)
    figures["index_query_docs_per_s"] = round(len(texts) / query_seconds, 1)
    figures["index_bytes_per_doc"] = round(memory / len(texts))
    figures["signature_bytes"] = len(sigs[0])
    print(f"dedup: {figures['signatures_per_s']} signatures/s, index add "
          f"{figures['index_add_docs_per_s']} docs/s, query {figures['index_query_docs_per_s']} "
          f"docs/s, {figures['index_bytes_per_doc']} bytes/doc in the index "
          f"(+{len(sigs[0])} stored per signature), N={len(texts)}")

    # Same small N both ways: find every earlier near-duplicate of each document.
    small = texts[: args.baseline_n]

    def brute() -> set[tuple[int, int]]:
        sets = [shingles(t) for t in small]
        pairs = set()
        for i, a in enumerate(sets):
            for j in range(i):
                b = sets[j]
                if a and b and len(a & b) / len(a | b) >= threshold:
                    pairs.add((j, i))
        return pairs

    def lsh() -> set[tuple[int, int]]:
        lsh_index = RepostIndex(threshold)
        pairs = set()
        for i, text in enumerate(small):
            s = signature(text)  # shingling and hashing count, as in the baseline
            pairs.update((int(c.article_id), i) for c in lsh_index.query(s))
            lsh_index.add(str(i), s)
        return pairs

    exact, brute_seconds = timed(brute)
    approx, lsh_seconds = timed(lsh)
    exact_pairs: set[tuple[int, int]] = exact  # type: ignore[assignment]
    approx_pairs: set[tuple[int, int]] = approx  # type: ignore[assignment]
    brute_rate = len(small) / brute_seconds
    lsh_rate = len(small) / lsh_seconds
    recall = len(exact_pairs & approx_pairs) / len(exact_pairs) if exact_pairs else 1.0
    figures.update({
        "baseline_n": len(small), "brute_force_docs_per_s": round(brute_rate, 1),
        "lsh_docs_per_s": round(lsh_rate, 1), "lsh_over_brute": round(lsh_rate / brute_rate, 1),
        "brute_pairs": len(exact_pairs), "lsh_pairs": len(approx_pairs),
        "lsh_recall_of_brute_pairs": round(recall, 4), "threshold": threshold,
    })
    print(f"baseline at N={len(small)}: brute-force pairwise Jaccard {brute_rate:.1f} docs/s, "
          f"LSH {lsh_rate:.1f} docs/s, ratio {lsh_rate / brute_rate:.1f}x; pairs found "
          f"brute {len(exact_pairs)}, LSH {len(approx_pairs)}, recall {recall:.4f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
