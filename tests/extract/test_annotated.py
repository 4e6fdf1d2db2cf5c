"""The annotated quality set is consistent, and extraction stays good on it."""

from __future__ import annotations

from types import ModuleType

from kartoteka.extract.pipeline import NAME_LABELS, Document, Pipeline
from kartoteka.extract.result import listed_entities
from kartoteka.model import Entity


def test_offsets_point_at_the_annotated_text(annotated: ModuleType) -> None:
    articles = annotated.load_articles()
    assert len(articles) >= 30
    assert {a["language"] for a in articles} == {"en", "ru"}
    for article in articles:
        for mention in article["mentions"]:
            assert article["text"][mention["start"]:mention["end"]] == mention["text"], (
                article["id"], mention)
            assert mention["label"] in NAME_LABELS


def test_json_lines_are_in_sync_with_the_marked_up_source(annotated: ModuleType) -> None:
    source = annotated.SOURCE.read_text(encoding="utf-8")
    assert annotated.parse(source) == annotated.load_articles()


def test_every_link_target_is_in_the_registry(annotated: ModuleType,
                                              registry: list[Entity]) -> None:
    ids = {e.id for e in registry}
    for article in annotated.load_articles():
        for mention in article["mentions"]:
            assert mention["entity_id"] is None or mention["entity_id"] in ids


def test_recall_and_precision_floor(annotated: ModuleType, full_pipeline: Pipeline) -> None:
    """A floor well under today's figures (bench/extract_quality.py prints them)."""
    articles = annotated.load_articles()
    gold = found = right = 0
    for article, result in zip(articles, full_pipeline.run_many(
            [Document(a["text"], a["language"], a["id"]) for a in articles]), strict=True):
        spans = {(m["start"], m["end"], m["label"]) for m in article["mentions"]}
        predicted = {(e.mention.start, e.mention.end, e.mention.label)
                     for e in listed_entities(result)}
        gold, found, right = gold + len(spans), found + len(predicted), right + len(
            spans & predicted)
    assert right / gold > 0.75 and right / found > 0.8
