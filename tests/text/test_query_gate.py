"""The gate: forms an article must hold for a search to be worth running on it."""

from __future__ import annotations

from kartoteka.text.query import parse_query
from kartoteka.text.query_gate import gate, text_forms


def test_gate_is_the_first_required_word_in_exact_and_stemmed_form() -> None:
    assert gate(parse_query("attacks on convoys")) == {"attacks", "attack"}
    assert gate(parse_query('"Menaka region" army')) == {"menaka"}
    assert gate(parse_query("weap* convoy")) == {"convoy"}  # a prefix is skipped
    assert gate(parse_query("-Niger border")) == {"border"}
    assert gate(parse_query("weap*")) is None


def test_text_forms_hold_what_the_gate_asks_for() -> None:
    forms = text_forms("Convoys in Mali", "Weapons crossed near Ménaka.", "en")
    assert {"convoys", "convoy", "menaka", "weapon", "crossed", "cross"} <= forms
    russian = text_forms("Ливия", "В Ливии боевиков стало больше.", "ru")
    assert gate(parse_query("Ливия")) & russian  # «Ливии» shares the stem
    assert gate(parse_query("боевик")) & russian
    assert not gate(parse_query("convoy")) & russian
