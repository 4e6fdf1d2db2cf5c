"""The extraction commands through the real CLI: extract, entities, entity, candidates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"
ARTICLES = DATA / "articles"


@pytest.fixture(autouse=True)
def gazetteer_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def loaded(run: Any, database_url: str) -> dict[str, str]:
    """The test registry and articles, through the CLI; article ids by file stem."""
    assert run("registry", "import", str(DATA / "registry.ftm.jsonl")).exit_code == 0
    assert run("ingest", str(ARTICLES)).exit_code == 0
    database = Database(database_url)
    with database.read() as conn:
        found = {Path(a.source).stem: a.id for a in ArticleRepository(conn).iter_all()}
    database.dispose()
    return found


def out(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", [
    ["extract"], ["entities"], ["entity"], ["candidates"], ["candidates", "accept"],
    ["candidates", "reject"],
])
def test_help(run: Any, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_extract_file_prints_without_storing(run: Any, loaded: dict[str, str]) -> None:
    found = out(run("extract", str(ARTICLES / "wagner-syria-ru.md"), "--json"))
    assert list(found) == ["source", "title", "language", "countries", "handles", "hashtags",
                           "entities"]
    assert found["title"] == "Группа Вагнера в Сирии и Ливии"
    assert found["language"] == "ru"
    assert found["countries"] == ["ly", "ru", "sy"]
    assert found["handles"] == ["@astramilitarum"]
    assert found["hashtags"] == ["#Сирия", "#Ливия"]
    first = found["entities"][0]
    assert set(first) == {"text", "normal", "label", "section", "start", "end", "entity_id",
                          "country", "score"}
    # The title's names come first, with offsets into the title.
    assert {"text": "Группа Вагнера", "section": "title", "start": 0, "end": 14,
            "entity_id": "t-org-wagner"}.items() <= first.items()
    syria = [e for e in found["entities"] if e["country"] == "sy"]
    assert syria and all(e["label"] == "LOC" and e["entity_id"] is None for e in syria)
    assert {"entity_id": "t-per-prigozhin", "text": "Пригожина"}.items() <= next(
        e for e in found["entities"] if e["text"] == "Пригожина").items()
    entities_before = out(run("candidates", "--json"))
    run("extract", str(ARTICLES / "wagner-libya.md"))
    assert out(run("candidates", "--json")) == entities_before


FRONT_MATTER = """---
title: Вагнер в Ливии
author: "@astramilitarum"
date: 2024-05-01
---
# Заголовок, который не текст

Евгений Пригожин отправил бойцов в Ливию, где их ждал Халифа Хафтар.
"""


def test_extract_file_offsets_index_the_body_ingest_stores(
        run: Any, database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "front.md"
    path.write_text(FRONT_MATTER, encoding="utf-8")
    found = out(run("extract", str(path), "--json"))
    assert run("ingest", str(path), "--no-extract").exit_code == 0
    database = Database(database_url)
    with database.read() as conn:
        [article] = list(ArticleRepository(conn).iter_all())
    database.dispose()
    assert found["title"] == article.title == "Вагнер в Ливии"
    assert found["language"] == article.language == "ru"
    assert found["entities"] and "title:" not in article.body
    sections = {"title": article.title, "body": article.body}
    for entity in found["entities"]:
        assert sections[entity["section"]][entity["start"]:entity["end"]] == entity["text"]
    assert {"text": "Ливию", "normal": "Ливию", "label": "LOC", "country": "ly"}.items() <= \
        next(e for e in found["entities"] if e["country"] and e["section"] == "body").items()
    assert {"text": "Ливии", "section": "title", "start": 9, "country": "ly"}.items() <= \
        found["entities"][0].items()  # "Вагнер в Ливии"
    assert "Евгений Пригожин" in {e["text"] for e in found["entities"] if e["label"] == "PER"}


def test_extract_arguments_are_checked(run: Any, tmp_path: Path) -> None:
    both = run("extract", str(ARTICLES / "wagner-libya.md"), "--all")
    assert both.exit_code == 2 and "exactly one of FILE, --article ID or --all" in both.output
    missing = run("extract", str(tmp_path / "nothing.txt"))
    assert missing.exit_code == 2 and "cannot read" in missing.output
    unknown = run("extract", "--article", "nope")
    assert unknown.exit_code == 2 and "no article with id 'nope'" in unknown.output


def test_extract_all_reports_counts(run: Any, loaded: dict[str, str]) -> None:
    summary = out(run("extract", "--all", "--json"))
    assert summary["articles"] == 3 and summary["failed"] == 0
    assert summary["linked"] > 20 and summary["candidates"] >= 5
    text = run("extract", "--all")
    assert text.exit_code == 0 and "articles 3," in text.output


def test_entities_and_entity(run: Any, loaded: dict[str, str]) -> None:
    listed = {e["id"]: e for e in out(run("entities", "--country", "ru", "--json"))}
    assert set(listed) == {"t-per-lavrov", "t-per-botsan", "t-org-wagner", "t-per-prigozhin"}
    assert listed["t-org-wagner"]["articles"] == 2
    persons = out(run("entities", "--schema", "Person", "--json"))
    assert {e["schema"] for e in persons} == {"Person"}
    page = out(run("entity", "t-org-wagner", "--json"))
    assert page["name"] == "Wagner Group" and "ЧВК Вагнер" in [n["value"] for n in page["names"]]
    assert {a["id"] for a in page["articles"]} == {loaded["wagner-libya"],
                                                   loaded["wagner-syria-ru"]}
    assert page["mentions"] == sum(a["mentions"] for a in page["articles"])
    assert all(a["role"] == "subject" for a in page["articles"])
    thaci = out(run("entity", "t-per-thaci", "--json"))
    assert [r["role"] for r in thaci["relations"]] == ["political leader"]
    text = run("entity", "t-org-wagner")
    assert "articles: 2" in text.output
    missing = run("entity", "nope")
    assert missing.exit_code == 2 and "no entity with id 'nope'" in missing.output


def test_candidates_accept_and_reject(run: Any, loaded: dict[str, str],
                                      database_url: str) -> None:
    listed = {c["name"]: c for c in out(run("candidates", "--json"))}
    assert listed["Agron Berisha"]["mentions"] == 2
    assert run("candidates", "reject", "Dmitry Utkin").exit_code == 0
    accepted = run("candidates", "accept", "Agron Berisha", "--new", "Person")
    assert accepted.exit_code == 0 and "ktk-per-agron-berisha" in accepted.output
    assert run("candidates", "accept", "Sirte", "--as-alias-of", "t-per-haftar").exit_code == 0
    out(run("extract", "--all", "--json"))
    open_names = {c["name"] for c in out(run("candidates", "--json"))}
    assert not open_names & {"Agron Berisha", "Dmitry Utkin", "Sirte"}
    decided = {c["name"]: c for c in out(run("candidates", "--status", "all", "--json"))}
    assert decided["Dmitry Utkin"]["status"] == "rejected"
    assert decided["Agron Berisha"]["entity_id"] == "ktk-per-agron-berisha"
    assert decided["Sirte"]["decided_by"] == "cli"
    page = out(run("entity", "ktk-per-agron-berisha", "--json"))
    [article] = page["articles"]
    assert (article["id"], article["mentions"], article["role"]) == (
        loaded["kla-veterans"], 2, "mentioned")
    database = Database(database_url)
    with database.read() as conn:
        actions = [e.action for e in AuditLog(conn).recent()]
    database.dispose()
    assert actions.count("candidate.accept") == 2 and actions.count("candidate.reject") == 1


def test_candidate_errors(run: Any, loaded: dict[str, str]) -> None:
    neither = run("candidates", "accept", "Agron Berisha")
    assert neither.exit_code == 2 and "--as-alias-of ID or --new" in neither.output
    unknown = run("candidates", "reject", "Nobody Known")
    assert unknown.exit_code == 2 and "no candidate named 'Nobody Known'" in unknown.output
    bad_entity = run("candidates", "accept", "Agron Berisha", "--as-alias-of", "nope")
    assert bad_entity.exit_code == 2 and "no entity with id 'nope'" in bad_entity.output


def test_ingest_no_extract(run: Any) -> None:
    assert run("registry", "import", str(DATA / "registry.ftm.jsonl")).exit_code == 0
    assert run("ingest", str(ARTICLES), "--no-extract").exit_code == 0
    assert out(run("candidates", "--json")) == []
    assert all(e["mentions"] == 0 for e in out(run("entities", "--json")))
    assert out(run("extract", "--all", "--json"))["linked"] > 20
    assert out(run("entity", "t-org-wagner", "--json"))["mentions"] >= 5


def test_entities_on_an_empty_registry_says_how_to_import_one(run: Any) -> None:
    empty = run("entities")
    assert empty.exit_code == 0
    assert "the registry is empty" in empty.stdout and "registry import" in empty.stdout
    filtered = run("entities", "--country", "zz")
    assert filtered.stdout.strip() == "no entities match these filters"
    assert run("entities", "--json").stdout.strip() == "[]"
