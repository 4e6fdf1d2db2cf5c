"""Precision, recall and F1 of extraction on the annotated set.

Per label (PER, ORG, LOC: exact span and label), for any name span
(exact span, label ignored), for linking (a predicted link is right when its
span is a gold span and the entity is the gold entity) and for countries
(per article, codes).  Linking uses the name matcher when this checkout has
it, else exact keyed names; the output says which.

    PYTHONPATH=. python bench/extract_quality.py [--no-ner]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotated_set import load_articles, load_registry

from kartoteka.extract.linking import available_linker
from kartoteka.extract.pipeline import NAME_LABELS, Document
from kartoteka.extract.standard import standard_pipeline


def scores(correct: int, predicted: int, gold: int) -> dict[str, float | int]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 3), "r": round(recall, 3), "f1": round(f1, 3),
            "tp": correct, "pred": predicted, "gold": gold}


def evaluate(articles: list[dict[str, Any]], ner: bool = True,
             language: str | None = None) -> tuple[dict[str, Any], str]:
    entities = load_registry()
    linker = available_linker(entities)
    pipeline = standard_pipeline(entities, ner=ner, linker=linker, cache=False)
    chosen = [a for a in articles if language in (None, a["language"])]
    documents = [Document(a["text"], a["language"], a["id"]) for a in chosen]
    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in (*NAME_LABELS, "ANY", "LINK",
                                                             "COUNTRY")}
    for article, result in zip(chosen, pipeline.run_many(documents), strict=True):
        if result.errors:
            print(f"{article['id']}: {result.errors}", file=sys.stderr)
        gold = {(m["start"], m["end"]): m for m in article["mentions"]}
        found = {(m.start, m.end): m for m in result.mentions if m.label in NAME_LABELS}
        for label in NAME_LABELS:
            g = {k for k, m in gold.items() if m["label"] == label}
            f = {k for k, m in found.items() if m.label == label}
            counts[label] = [a + b for a, b in zip(counts[label], (len(g & f), len(f), len(g)),
                                                    strict=True)]
        counts["ANY"] = [a + b for a, b in zip(counts["ANY"], (
            len(gold.keys() & found.keys()), len(found), len(gold)), strict=True)]
        links_gold = {k: m["entity_id"] for k, m in gold.items() if m["entity_id"]}
        links_found = {k: m.entity_id for k, m in found.items() if m.entity_id}
        right = sum(1 for k, e in links_found.items() if links_gold.get(k) == e)
        counts["LINK"] = [a + b for a, b in zip(counts["LINK"], (
            right, len(links_found), len(links_gold)), strict=True)]
        g_c, f_c = set(article["countries"]), {c.code for c in result.countries}
        counts["COUNTRY"] = [a + b for a, b in zip(counts["COUNTRY"], (
            len(g_c & f_c), len(f_c), len(g_c)), strict=True)]
    return {k: scores(*v) for k, v in counts.items()}, type(linker).__name__


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ner", action="store_true", help="patterns and gazetteer only")
    args = parser.parse_args()
    articles = load_articles()
    report: dict[str, Any] = {"articles": len(articles), "ner": not args.no_ner}
    for language in ("en", "ru", None):
        table, linker = evaluate(articles, ner=not args.no_ner, language=language)
        name = language or "all"
        report["linker"] = linker
        report[name] = table
        print(f"== {name} ({linker}, ner={not args.no_ner})")
        for key, s in table.items():
            print(f"  {key:8} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  "
                  f"(tp {s['tp']}, predicted {s['pred']}, gold {s['gold']})")
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
