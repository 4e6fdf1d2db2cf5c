"""Snippets mark the words as written, whatever form the query took."""

from __future__ import annotations

from kartoteka.text.highlight import HIT_END, HIT_START, highlight_for, snippet
from kartoteka.text.query import parse_query
from kartoteka.text.search_forms import indexed_text

TEXT = (
    "Хашим Тачи родился в 1968 году в районе Дреница в центральной части Косова. "
    "В девяностые годы он стал одним из организаторов Армии освобождения Косова (АОК)."
)


def marked(text: str) -> list[str]:
    return [part.split(HIT_END)[0] for part in text.split(HIT_START)[1:]]


def mark(query: str, text: str = TEXT, language: str | None = "ru") -> list[str]:
    return marked(snippet(text, language, highlight_for(parse_query(query), language)))


def test_bare_words_mark_every_form_and_quotes_one() -> None:
    assert mark("Косово") == ["Косова", "Косова"]
    assert mark('"Косову"') == []
    assert mark("армия освобождения") == ["Армии освобождения"]  # neighbours are one mark
    assert mark("орган*") == ["организаторов"]


def test_unstemmed_language_marks_folded_forms_only() -> None:
    text = "Les attaques contre l'armée continuent."
    assert mark("armee", text, "fr") == ["armée"]
    assert mark("attaque", text, "fr") == []


def test_window_starts_before_the_hits_and_says_where_text_goes_on() -> None:
    body = " ".join(f"w{n}" for n in range(100)) + " Ливии " + " ".join(
        f"v{n}" for n in range(100)
    )
    text = snippet(body, "ru", highlight_for(parse_query("Ливия"), "ru"))
    assert text.startswith("…w") and text.endswith("…")
    assert marked(text) == ["Ливии"] and len(text.split()) == 24


def test_spans_are_marked_and_nothing_to_mark_gives_the_start() -> None:
    start = TEXT.index("Хашим")
    assert marked(snippet(TEXT, "ru", highlight_for(parse_query("zzz"), "ru"),
                          [(start, start + 10)])) == ["Хашим Тачи"]
    plain = snippet(TEXT, "ru", highlight_for(parse_query("zzz"), "ru"))
    assert plain.startswith("Хашим Тачи родился") and HIT_START not in plain


def test_index_forms_have_one_entry_per_word() -> None:
    forms = indexed_text("Vučić: ЁЛКИ, attacks_2022 и F-16", "ru")
    assert forms.exact == "vucic елки attacks 2022 и f 16"
    assert forms.stems == "vucic елк attack 2022 и f 16"
    assert len(forms.exact.split()) == len(forms.stems.split())
    assert indexed_text("Attaqués", "fr") == ("attaques", "attaques")
