"""Word forms in search, on both backends: stems by article language, exact forms in quotes.

The texts are written for these tests as news is: no article uses the
dictionary form the query is typed in, so only stemming finds them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.services.search import SearchResults, search
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database

ARTICLES = {
    "libya": ArticleDraft(
        title="Противостояние в Ливии",
        body=(
            "В Ливии снова стреляют. Отряды боевиков из Мисураты вошли в пригороды "
            "Триполи, и наблюдатели боятся, что Ливию ждёт новая война. Командир одного "
            "из отрядов сказал, что его люди не уйдут."
        ),
        source="test://ru/libya",
        language="ru",
    ),
    "kosovo": ArticleDraft(
        title="Сербы на севере края",
        body=(
            "На севере Косова сербские общины требуют автономии. Белград обещает Косову "
            "переговоры, Приштина отвечает отказом."
        ),
        source="test://ru/kosovo",
        language="ru",
    ),
    "quote": ArticleDraft(
        title="Хроника недели",
        body="Агентство процитировало заявление: \"The attacks will continue\", сказано в нём.",
        source="test://ru/quote",
        language="ru",
    ),
    "attacks": ArticleDraft(
        title="Checkpoint raided near Gao",
        body=(
            "Gunmen attacked an army checkpoint on Tuesday. Such attacks have grown since "
            "spring, officials said, and the fighters' convoys now move at night."
        ),
        source="test://en/attacks",
        language="en",
    ),
    "french": ArticleDraft(
        title="Sahel : nouvelles attaques",
        body="Les attaques contre les postes de l'armée se multiplient au nord du Mali.",
        source="test://fr/attaques",
        language="fr",
    ),
    # A language the stemmer does not know (Serbian, quoting English): folding only.
    "unknown": ArticleDraft(
        title="Bilten",
        body="Agencija javlja: \"Attacks reported; fighters withdrew.\"",
        source="test://sr/bilten",
        language="sr",
    ),
}


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    service = IngestService(db)
    found: dict[str, str] = {}
    for name, draft in ARTICLES.items():
        draft.published_at = datetime(2024, 1, 1, tzinfo=UTC)
        found[name], _ = service.store(draft)
    return found


def names(results: SearchResults, ids: dict[str, str]) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[h.id] for h in results.hits}


def test_russian_dictionary_form_finds_inflected_forms(db: Database, ids: dict[str, str]) -> None:
    assert names(search(db, "Ливия", widen=False), ids) == {"libya"}
    assert names(search(db, "боевик", widen=False), ids) == {"libya"}
    assert names(search(db, "Косово", widen=False), ids) == {"kosovo"}
    assert names(search(db, "война", widen=False), ids) == {"libya"}  # «война» in the text


def test_english_forms_and_scripts_inside_other_languages(
    db: Database, ids: dict[str, str]
) -> None:
    # "attack" finds "attacked" and "attacks", in English and quoted in a Russian article.
    assert names(search(db, "attack"), ids) == {"attacks", "quote"}
    assert names(search(db, "fighter"), ids) == {"attacks"}  # fighters'


def test_other_languages_keep_folding(db: Database, ids: dict[str, str]) -> None:
    assert names(search(db, "attaque"), ids) == set()
    assert names(search(db, "attaques"), ids) == {"french"}
    assert names(search(db, "ARMEE"), ids) == {"french"}  # l'armée, folded
    # An article in a language without a stemmer is folded, not stemmed.
    assert "unknown" not in names(search(db, "attack"), ids)
    assert "unknown" in names(search(db, "attacks"), ids)


def test_quoted_word_matches_that_form_only(db: Database, ids: dict[str, str]) -> None:
    assert names(search(db, '"Косова"', widen=False), ids) == {"kosovo"}
    assert names(search(db, '"Косово"', widen=False), ids) == set()
    assert names(search(db, '"attacks"'), ids) == {"attacks", "quote", "unknown"}
    assert names(search(db, '"attack"'), ids) == set()
    assert names(search(db, '"севере Косова"', widen=False), ids) == {"kosovo"}
    assert names(search(db, '"Косова севере"', widen=False), ids) == set()


def test_prefix_phrase_exclusion_and_filters(db: Database, ids: dict[str, str]) -> None:
    assert names(search(db, "Лив*", widen=False), ids) == {"libya"}
    assert names(search(db, "attack*"), ids) == {"attacks", "quote", "unknown"}
    assert names(search(db, "attack -Gao"), ids) == {"quote"}
    assert names(search(db, "боевик -Ливию", widen=False), ids) == set()  # excluded in any form
    assert names(search(db, "attack -\"attacked\""), ids) == {"quote"}
    # A bare hyphenated token is a phrase of stems.
    assert names(search(db, "army-checkpoints"), ids) == {"attacks"}
    assert names(search(db, "attack", ArticleFilter(language="ru")), ids) == {"quote"}


def test_snippets_mark_the_words_as_written(db: Database, ids: dict[str, str]) -> None:
    hit = search(db, "Ливия", widen=False).hits[0]
    assert "<mark>Ливии</mark>" in hit.snippet and "<mark>Ливию</mark>" in hit.snippet
    hit = search(db, '"Косова"', widen=False).hits[0]
    assert "<mark>Косова</mark>" in hit.snippet and "<mark>Косову</mark>" not in hit.snippet
    hit = search(db, "Косово", widen=False).hits[0]
    assert "<mark>Косова</mark>" in hit.snippet and "<mark>Косову</mark>" in hit.snippet
    english = next(h for h in search(db, "attack").hits if h.id == ids["attacks"])
    assert "<mark>attacked</mark>" in english.snippet and "<mark>attacks</mark>" in english.snippet


def test_ranking_and_paging_keep_working(db: Database, ids: dict[str, str]) -> None:
    every = search(db, "attack*", limit=50)
    assert every.total == 3
    scores = [h.score for h in every.hits]
    assert scores == sorted(scores, reverse=True)
    pages = [search(db, "attack*", limit=1, offset=i) for i in range(3)]
    assert [p.hits[0].id for p in pages] == [h.id for h in every.hits]
    assert all(p.total == 3 for p in pages)


def test_revision_reindexes_with_its_language(db: Database, ids: dict[str, str]) -> None:
    service = IngestService(db)
    revised = ArticleDraft(
        title="Противостояние в Ливии",
        body="Отряды вошли в пригороды Триполи; the attacks go on.",
        source="test://ru/libya",
        language="en",
    )
    service.store(revised)
    assert names(search(db, "боевик", widen=False), ids) == set()
    assert "libya" in names(search(db, "attack"), ids)
    # Now English: Cyrillic words still stem as Russian (script decides).
    assert names(search(db, "отряд", widen=False), ids) == {"libya"}


def test_bad_input_gets_a_message_not_an_error(db: Database, ids: dict[str, str]) -> None:
    for query, says in [
        ("the of and", "Only common words"),
        ("и в на", "Only common words"),
        ("?!.,;:()[]{}", "Nothing to search for"),
        ("—", "Nothing to search for"),
        ("war " * 2500, "characters long"),
        (" ".join(f"w{n}" for n in range(40)), "at most 32"),
    ]:
        results = search(db, query)
        assert results.hits == [] and says in results.message, query
    # Function words beside a real word are left out, not required.
    assert names(search(db, "the attack"), ids) == {"attacks", "quote"}
    assert names(search(db, '"the attacks"'), ids) == {"quote"}


def test_unicode_forms_of_the_query_are_normalised(db: Database, ids: dict[str, str]) -> None:
    decomposed = "жде\u0308т"  # «ждёт» with a combining diaeresis
    assert names(search(db, decomposed, widen=False), ids) == {"libya"}
    assert names(search(db, '"ждет"', widen=False), ids) == {"libya"}  # ё is е
    assert names(search(db, "КОСОВУ", widen=False), ids) == {"kosovo"}
