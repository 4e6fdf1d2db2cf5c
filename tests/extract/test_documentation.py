"""The rules that turn linked mentions into an article's documentation links."""

from __future__ import annotations

from kartoteka.extract.documentation import (
    MENTIONED,
    SUBJECT,
    Documentation,
    candidate_key,
    context,
    documentation,
    in_title,
)
from kartoteka.model import Mention


def mention(text: str, entity_id: str | None, label: str = "ORG") -> Mention:
    return Mention("a", 0, len(text), text, label, "test", 1.0, entity_id)


def test_title_names_the_subject_in_any_spelling_or_script() -> None:
    assert in_title("Veterans of the KLA in politics", ["Kosovo Liberation Army", "KLA"])
    assert in_title("Группа Вагнера в Сирии", ["Группа Вагнера"])
    assert in_title("Группу Вагнера вывели из Ливии", ["Группа Вагнера"])  # inflected
    assert not in_title("Wagner College opens", ["Wagner Group"])
    assert not in_title("Klan news", ["KLA"])  # whole words only


def test_most_mentioned_with_three_or_more_is_a_subject() -> None:
    found = [mention("Wagner Group", "w")] * 3 + [mention("NATO", "n")] * 2
    assert documentation("News of the week", found, {}) == [
        Documentation("w", 3, SUBJECT), Documentation("n", 2, MENTIONED)]


def test_two_mentions_are_not_enough_and_ties_share_the_role() -> None:
    two = [mention("Wagner Group", "w")] * 2
    assert documentation("News", two, {})[0].role == MENTIONED
    tied = [mention("A", "a")] * 3 + [mention("B", "b")] * 3
    assert {d.role for d in documentation("News", tied, {})} == {SUBJECT}


def test_registry_names_count_for_the_title() -> None:
    found = [mention("the group", "w"), mention("NATO", "n"), mention("Someone", None, "PER")]
    links = documentation("Wagner Group in Mali", found, {"w": ["Wagner Group"]})
    assert links == [Documentation("w", 1, SUBJECT), Documentation("n", 1, MENTIONED)]


def test_candidate_keys_meet_across_spellings() -> None:
    assert candidate_key("Agron  BERISHA") == candidate_key("agron berisha")
    assert candidate_key("Çeku") == candidate_key("Ceku")
    assert candidate_key("Пригожина") == candidate_key("Пригожин")
    assert candidate_key("—") is None


def test_context_is_one_short_line_cut_at_words() -> None:
    body = "First line here.\nThe commander Agron Berisha spoke to reporters in Pristina today."
    start = body.index("Agron")
    excerpt = context(body, start, start + len("Agron Berisha"), width=20)
    assert "\n" not in excerpt and "Agron Berisha" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert context("Agron Berisha", 0, 13) == "Agron Berisha"


def test_a_group_tied_to_none_of_the_articles_countries_is_not_its_subject() -> None:
    title = "Ansaroul Islam in northern Burkina Faso"
    once = [mention("Ansaroul Islam", "ansar-iq")]
    iraqi = {"ansar-iq": ["iq"]}
    assert documentation(title, once, {}, iraqi, {"bf"})[0].role == MENTIONED
    assert documentation(title, once, {}, iraqi, {"iq", "bf"})[0].role == SUBJECT
    assert documentation(title, once, {}, {}, {"bf"})[0].role == SUBJECT  # countries unknown
    assert documentation(title, once, {}, iraqi, ())[0].role == SUBJECT  # none named
    # Being the most-mentioned, three times or more, is strong evidence.
    thrice = once * 3
    assert documentation(title, thrice, {}, iraqi, {"bf"})[0].role == SUBJECT
