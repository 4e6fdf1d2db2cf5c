"""A query that names an entity or a country finds what is linked to it, in any script.

The demo's own registry and articles (kartoteka/sample_data), linked by the
gazetteer alone (no statistical NER, so the links are the registry's names):
an English and a Russian article about Hashim Thaçi, the Kosovo Liberation
Army article (which spells him "Hashim Thachi"), and Wagner and Libya articles
in both languages.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kartoteka.model import ArticleDraft
from kartoteka.services import decisions
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.search import SearchResults, search, search_facets
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database

SAMPLE = Path(__file__).resolve().parents[2] / "kartoteka" / "sample_data"
ARTICLES = {
    "kla": "01-kosovo-liberation-army.md",  # en, xk; "Hashim Thachi", "KLA"
    "thaci": "02-hashim-thaci.md",  # en, xk; "Hashim Thaçi"
    "tachi": "03-khashim-tachi.md",  # ru, xk; «Хашим Тачи», «Армии освобождения Косова»
    "zetas": "04-los-zetas.md",  # en, mx
    "wagner": "18-wagner-group.md",  # en
    "libya": "21-libya-tripoli-forces.md",  # en, ly
}


@pytest.fixture(autouse=True)
def gazetteer_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    assert registry_service.import_file(db, SAMPLE / "registry.ftm.jsonl").failed == 0
    service = ingest_service(db, extraction=ExtractionService(db, ner=False))
    found = {}
    for name, file in ARTICLES.items():
        report = service.ingest([str(SAMPLE / "articles" / file)])
        assert report.failed == 0, report.errors
        found[name] = report.article_ids[0]
    # Tagged Kosovo by its source, in a language and words that never name it.
    found["tagged"], _ = service.store(
        ArticleDraft(
            title="Granica na Jarinju",
            body="Prelaz je ponovo otvoren posle tri dana.",
            source="test://sr/jarinje",
            language="sr",
            countries=["xk"],
            published_at=datetime(2023, 9, 1, tzinfo=UTC),
        )
    )
    return found


def names(results: SearchResults, ids: dict[str, str]) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[h.id] for h in results.hits]


def widened(results: SearchResults) -> list[tuple[str, str, str]]:
    return [(w.kind, w.id, w.name) for w in results.widened_by]


THACI = [("entity", "ktk-per-thaci", "Hashim Thaçi")]
KLA = [("entity", "ktk-org-kla", "Kosovo Liberation Army")]
KOSOVO = [("country", "xk", "Kosovo")]


@pytest.mark.parametrize(
    ("query", "text_only"),
    [("Thaçi", ["thaci"]), ("Тачи", ["tachi"]), ("Hashim Thachi", ["kla"])],
)
def test_person_in_every_script_and_spelling(
    db: Database, ids: dict[str, str], query: str, text_only: list[str]
) -> None:
    results = search(db, query)
    assert widened(results) == THACI
    # The text matches first, then the articles linked to him in other scripts.
    assert names(results, ids)[: len(text_only)] == text_only
    assert {"thaci", "tachi"} <= set(names(results, ids))
    assert names(search(db, query, widen=False), ids) == text_only


def test_acronym_in_another_script_and_a_quoted_name(db: Database, ids: dict[str, str]) -> None:
    results = search(db, "КЛА")
    assert widened(results) == KLA
    assert set(names(results, ids)) == {"kla", "thaci", "tachi"}
    assert search(db, "КЛА", widen=False).hits == []
    # A quoted phrase that is a name widens that phrase; the other words still apply.
    # (1968, the year Thaçi was born, is in both articles about him.)
    results = search(db, '"Kosovo Liberation Army" 1968')
    assert widened(results) == KLA
    assert {"thaci", "tachi"} <= set(names(results, ids))
    text_only = names(search(db, '"Kosovo Liberation Army" 1968', widen=False), ids)
    assert "thaci" in text_only and "tachi" not in text_only
    # Excluded words are not part of the name, and still exclude.
    results = search(db, "Тачи -Гаагу")
    assert widened(results) == THACI and "tachi" not in names(results, ids)


def test_links_are_highlighted_where_the_text_spells_the_name_otherwise(
    db: Database, ids: dict[str, str]
) -> None:
    by_id = {h.id: h for h in search(db, "Тачи").hits}
    assert "<mark>Hashim Thaçi</mark>" in by_id[ids["thaci"]].snippet
    assert "Тачи</mark>" in by_id[ids["tachi"]].snippet


@pytest.mark.parametrize("query", ["Kosovo", "Косово", "🇽🇰", "Republic of Kosovo"])
def test_country_in_every_script_and_as_a_flag(
    db: Database, ids: dict[str, str], query: str
) -> None:
    results = search(db, query)
    assert widened(results) == KOSOVO
    assert set(names(results, ids)) >= {"kla", "thaci", "tachi", "tagged"}
    assert "zetas" not in names(results, ids)
    facets = search_facets(db, query)
    assert {f.value: f.count for f in facets.countries}["xk"] == 4


def test_widening_respects_filters(db: Database, ids: dict[str, str]) -> None:
    assert names(search(db, "🇽🇰", ArticleFilter(language="ru")), ids) == ["tachi"]
    assert names(search(db, "Тачи", ArticleFilter(language="en")), ids)[0] == "thaci"


def test_ordinary_words_are_not_widened(db: Database, ids: dict[str, str]) -> None:
    for query in ["army", "state", "liberation", "cartel", "attack", "us", "того", "kosovo*",
                  "Hashim", "-Kosovo", "Kosovo Drenica"]:
        assert search(db, query).widened_by == [], query
    # A country name is a country, not an entity with a look-alike acronym.
    assert widened(search(db, "UK")) == [("country", "gb", "United Kingdom")]


def test_registry_changes_reach_the_next_search(db: Database, ids: dict[str, str]) -> None:
    assert search(db, "Gjarpri").widened_by == []  # a weak alias alone never widens
    decisions.add_alias(db, "ktk-per-thaci", "Змей")
    assert widened(search(db, "Змей")) == THACI
