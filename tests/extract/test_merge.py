from __future__ import annotations

from kartoteka.extract.merge import merge_mentions
from kartoteka.model import Mention


def m(start: int, end: int, label: str, component: str, entity: str | None = None) -> Mention:
    return Mention("", start, end, "x" * (end - start), label, component, 1.0, entity)


def test_same_span_prefers_the_linked_gazetteer_mention() -> None:
    merged = merge_mentions([m(0, 10, "ORG", "ner_en"), m(0, 10, "ORG", "gazetteer", "kla")], [])
    assert [(x.component, x.entity_id) for x in merged] == [("gazetteer", "kla")]


def test_longest_span_wins_over_an_unlinked_shorter_one() -> None:
    merged = merge_mentions([m(0, 6, "LOC", "ner_en"), m(0, 22, "ORG", "ner_en")], [])
    assert [(x.start, x.end) for x in merged] == [(0, 22)]


def test_linked_names_inside_an_unlinked_span_win() -> None:
    merged = merge_mentions([m(0, 30, "ORG", "ner_ru"), m(0, 24, "ORG", "gazetteer", "kla"),
                             m(26, 29, "ORG", "gazetteer", "kla")], [])
    assert [(x.start, x.end) for x in merged] == [(0, 24), (26, 29)]


def test_unlinked_country_words_are_left_to_countries() -> None:
    merged = merge_mentions([m(0, 6, "LOC", "ner_en"), m(10, 16, "LOC", "ner_en")], [(0, 6)])
    assert [(x.start, x.end) for x in merged] == [(10, 16)]
