from __future__ import annotations

from kartoteka.text.query import Term, parse_query


def test_words_phrases_prefixes_and_exclusions() -> None:
    query = parse_query('Vučić "Kosovo Liberation Army" terror* -NATO')
    assert query.terms == (
        Term(("vucic",)),
        Term(("kosovo", "liberation", "army"), exact=True),  # quoted: these forms only
        Term(("terror",), prefix=True),
        Term(("nato",), negated=True),
    )


def test_syntax_characters_never_survive() -> None:
    query = parse_query('NEAR( "unclosed AND ) ^ : *')
    words = [w for t in query.terms for w in t.words]
    assert all(w.isalnum() for w in words)
    assert "unclosed" in words


def test_hyphenated_token_is_a_phrase_and_only_negation_is_empty() -> None:
    assert parse_query("al-Qaeda").terms == (Term(("al", "qaeda")),)
    assert parse_query("-kosovo").is_empty
    assert parse_query("   ").is_empty
