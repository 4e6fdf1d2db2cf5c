from __future__ import annotations

from kartoteka.extract.patterns import find_dates, find_handles, find_hashtags, find_urls


def values(found: list) -> list[str]:  # type: ignore[type-arg]
    return [f.value for f in found]


def test_telegram_handles_follow_username_rules() -> None:
    text = ("From @balkanossiper and @Abbasdjuma; not @abc (too short), not @9lives, "
            "not mail@example.org, not @" + "a" * 33 + ", and t.me/chvkmedia too.")
    assert values(find_handles(text)) == ["@balkanossiper", "@Abbasdjuma", "@chvkmedia"]


def test_handle_spans_are_exact() -> None:
    text = "see @sex_drugs_kahlo."
    (handle,) = find_handles(text)
    assert text[handle.start:handle.end] == "@sex_drugs_kahlo"


def test_hashtags_in_latin_and_cyrillic() -> None:
    text = "#КиноСтрим and #anti_terror, not # spaced, not #2021, not page#anchor"
    assert values(find_hashtags(text)) == ["#КиноСтрим", "#anti_terror"]


def test_urls_lose_sentence_punctuation_but_keep_balanced_parentheses() -> None:
    text = ("Read https://example.org/a?b=1. Or (https://en.wikipedia.org/wiki/KFOR_(NATO)) "
            "and www.example.com/x, then «https://t.me/chvkmedia/123».")
    assert values(find_urls(text)) == [
        "https://example.org/a?b=1", "https://en.wikipedia.org/wiki/KFOR_(NATO)",
        "http://www.example.com/x", "https://t.me/chvkmedia/123"]


def test_dates_in_english_and_russian() -> None:
    text = ("On 2021-03-12, 12 March 2021, March 12, 2021 and in February 2008; "
            "12 марта 2021 года, в феврале 2008 года, 31 февраля 2020 is no date.")
    assert values(find_dates(text)) == ["2021-03-12", "2021-03-12", "2021-03-12", "2008-02",
                                        "2021-03-12", "2008-02"]


def test_t_me_links_keep_their_scheme_unless_glued_to_a_word() -> None:
    text = "https://t.me/chvkmedia, xhttps://t.me/istanbul_wolf, sub.t.me/abcdef, t.me/joinchat"
    assert [(text[h.start:h.end], h.value) for h in find_handles(text)] == [
        ("https://t.me/chvkmedia", "@chvkmedia"), ("t.me/istanbul_wolf", "@istanbul_wolf")]
