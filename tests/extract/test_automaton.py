from __future__ import annotations

from kartoteka.extract.automaton import KeyIndex, longest_first
from kartoteka.extract.keyed import bounded_name, key_text


def spans(index: KeyIndex[str], text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[start:end], values) for start, end, values in index.find(key_text(text))]


def test_only_whole_words_match_at_any_place_in_the_text() -> None:
    index: KeyIndex[str] = KeyIndex()
    for term in ("NATO", "St. Petersburg", "Liberation Army"):
        index.add(bounded_name(term), term)
    text = "NATO, not Natoland or ANATO; St.  Petersburg's Liberation  Army-men. nato"
    assert spans(index, text) == [("NATO", ("NATO",)), ("St.  Petersburg", ("St. Petersburg",)),
                                  ("Liberation  Army", ("Liberation Army",)),
                                  ("nato", ("NATO",))]


def test_terms_sharing_a_key_keep_every_value() -> None:
    index: KeyIndex[str] = KeyIndex()
    index.add(bounded_name("Wagner"), "group")
    index.add(bounded_name("WAGNER"), "college")
    index.add(bounded_name(" -- "), "no words: ignored")
    assert spans(index, "— Wagner —") == [("Wagner", ("group", "college"))]
    assert len(index) == 1


def test_longest_first_keeps_the_longest_then_the_leftmost() -> None:
    hits = [(0, 6, ("a",)), (0, 13, ("b",)), (7, 13, ("c",)), (10, 20, ("d",)),
            (14, 20, ("e",)), (21, 25, ("f",)), (23, 27, ("g",))]
    assert longest_first(hits) == [(0, 13, ("b",)), (14, 20, ("e",)), (21, 25, ("f",))]
