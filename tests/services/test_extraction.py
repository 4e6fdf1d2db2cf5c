"""Extraction stored on ingest and on re-runs, on both backends.

Real Markdown articles (English and Russian, tests/data/extraction/articles)
are ingested against a real FtM registry file; the assertions read back what
the database holds.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.extract.patterns import Patterns
from kartoteka.extract.pipeline import Document, ExtractionResult, Pipeline
from kartoteka.model import ArticleDraft
from kartoteka.services import candidates, decisions, entities, export
from kartoteka.services import registry as registry_service
from kartoteka.services.candidates import CandidateError
from kartoteka.services.catalog import build_catalog
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.mentions import MentionRepository

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"
ARTICLES = DATA / "articles"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
EDITOR = Actor("editor@example.org", Role.EDITOR)


@pytest.fixture(autouse=True)
def gazetteer_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def loaded(db: Database) -> dict[str, str]:
    """The test registry, then the three articles; their ids by file stem."""
    report = registry_service.import_file(db, DATA / "registry.ftm.jsonl")
    assert report.failed == 0
    ids = {}
    service = ingest_service(db)
    for path in sorted(ARTICLES.glob("*.md")):
        ingested = service.ingest([str(path)])
        assert ingested.failed == 0, ingested.errors
        ids[path.stem] = ingested.article_ids[0]
    return ids


def links(db: Database, article_id: str) -> dict[str, tuple[int, str]]:
    found = entities.article_entities(db, [article_id])[article_id]
    return {e["id"]: (e["mentions"], e["role"]) for e in found}


def linked_texts(db: Database, article_id: str) -> set[tuple[str, str | None]]:
    return {(m.text, m.entity_id) for m in entities.article_mentions(db, article_id)}


def snapshot(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        store = MentionRepository(conn)
        ids = [a.id for a in ArticleRepository(conn).iter_all()]
        return {
            "mentions": {i: [(m.start, m.end, m.label, m.entity_id)
                             for m in store.mentions_of(store.article_pk(i) or 0)] for i in ids},
            "links": store.links_of(ids),
            "candidates": [c.as_dict() for c in store.list_candidates(None)],
        }


def test_ingest_stores_spans_into_the_body_and_links(db: Database,
                                                     loaded: dict[str, str]) -> None:
    article_id = loaded["wagner-libya"]
    with db.read() as conn:
        article = ArticleRepository(conn).get(article_id)
    assert article is not None
    found = entities.article_mentions(db, article_id)
    sections = {"title": article.title, "body": article.body}
    assert found and all(sections[m.section][m.start:m.end] == m.text for m in found)
    assert {("Wagner Group", "t-org-wagner"), ("Yevgeny Prigozhin", "t-per-prigozhin"),
            ("Khalifa Haftar", "t-per-haftar"), ("European Union", "t-org-eu"),
            ("NATO", "t-org-nato")} <= linked_texts(db, article_id)
    by_entity = links(db, article_id)
    # In the title, and the most mentioned: the subject; the rest are mentioned.
    assert by_entity["t-org-wagner"][1] == "subject"
    assert by_entity["t-org-wagner"][0] >= 3
    assert by_entity["t-org-eu"] == (1, "mentioned")


def test_names_in_titles_are_mentions_with_offsets_into_the_title(
        db: Database, loaded: dict[str, str]) -> None:
    """English and Russian titles: a title mention indexes the title, the body's
    the body; a name in both is counted in both."""
    for key, name, entity_id in (("wagner-libya", "Wagner Group", "t-org-wagner"),
                                 ("wagner-syria-ru", "Группа Вагнера", "t-org-wagner"),
                                 ("kla-veterans", "Kosovo Liberation Army", "t-org-kla")):
        with db.read() as conn:
            article = ArticleRepository(conn).get(loaded[key])
        assert article is not None
        found = entities.article_mentions(db, loaded[key])
        in_title = [m for m in found if m.section == "title"]
        start = article.title.index(name)
        assert [(m.start, m.end, m.text, m.entity_id) for m in in_title
                if m.entity_id == entity_id] == [(start, start + len(name), name, entity_id)]
        assert found[0].section == "title"  # the title's come first
        in_body = [m for m in found if m.section == "body" and m.entity_id == entity_id]
        assert in_body and all(article.body[m.start:m.end] == m.text for m in in_body)
        assert links(db, loaded[key])[entity_id] == (len(in_body) + 1, "subject")


def test_russian_inflected_names_link(db: Database, loaded: dict[str, str]) -> None:
    article_id = loaded["wagner-syria-ru"]
    found = linked_texts(db, article_id)
    assert {("Пригожина", "t-per-prigozhin"), ("Сергей Лавров", "t-per-lavrov"),
            ("Халифу Хафтара", "t-per-haftar"), ("Группы Вагнера", "t-org-wagner")} <= found
    assert links(db, article_id)["t-org-wagner"][1] == "subject"


def test_unresolved_names_become_candidates_with_contexts(db: Database,
                                                          loaded: dict[str, str]) -> None:
    berisha = candidates.find_candidate(db, "Agron Berisha")
    assert (berisha.label, berisha.mentions, berisha.articles) == ("PER", 2, 1)
    assert berisha.contexts and "Agron Berisha" in berisha.contexts[0]
    ingest_service(db).store(ArticleDraft(
        "Security firms in Pristina", "Agron Berisha denied any link to the old networks.",
        "test:berisha"))
    again = candidates.find_candidate(db, "agron  BERISHA")
    assert (again.mentions, again.articles, len(again.contexts)) == (3, 2, 2)
    assert not any(c.key == "wagner group" for c in candidates.list_candidates(db))


def test_rerunning_everything_changes_nothing(db: Database, loaded: dict[str, str]) -> None:
    before = snapshot(db)
    service = ExtractionService(db)
    first = service.extract_all()
    second = service.extract_all()
    assert first.as_dict() == second.as_dict()
    assert first.articles == 3 and first.linked > 20 and first.errors == []
    assert snapshot(db) == before


def test_a_rejected_candidate_stays_rejected(db: Database, loaded: dict[str, str]) -> None:
    candidates.reject(db, "Agron Berisha", actor=EDITOR, clock=lambda: NOW)
    ExtractionService(db).extract_all()
    decided = candidates.find_candidate(db, "Agron Berisha")
    assert (decided.status, decided.decided_by, decided.mentions) == (
        "rejected", "editor@example.org", 2)
    assert "agron berisha" not in {c.key for c in candidates.list_candidates(db)}
    assert ("Agron Berisha", None) in linked_texts(db, loaded["kla-veterans"])
    with db.read() as conn:
        [entry] = AuditLog(conn).for_object("candidate", "agron berisha")
    assert (entry.action, entry.before, entry.after) == (
        "candidate.reject", {"status": "open"}, {"status": "rejected"})


def test_accepting_as_an_alias_links_now_and_after_reruns(db: Database,
                                                         loaded: dict[str, str]) -> None:
    article_id = loaded["kla-veterans"]
    decided = candidates.accept_as_alias(db, "Agron Berisha", "t-per-thaci", actor=EDITOR)
    assert (decided.status, decided.entity_id, decided.mentions) == ("accepted", "t-per-thaci", 0)
    assert links(db, article_id)["t-per-thaci"][0] == 3  # 1 before, plus 2 accepted
    assert "Agron Berisha" in registry_service.get_entity(db, "t-per-thaci").entity.all_names()
    ExtractionService(db).extract_all()
    assert ("Agron Berisha", "t-per-thaci") in linked_texts(db, article_id)
    assert candidates.find_candidate(db, "Agron Berisha").status == "accepted"


def test_accepting_as_a_new_entity(db: Database, loaded: dict[str, str]) -> None:
    decided, entity = candidates.accept_as_new(db, "Agron Berisha", "Person")
    assert (entity.id, entity.schema, entity.name) == (
        "ktk-per-agron-berisha", "Person", "Agron Berisha")
    assert decided.entity_id == entity.id
    page = entities.entity_page(db, entity.id)
    assert [(a.article_id, a.mentions) for a in page.articles] == [(loaded["kla-veterans"], 2)]
    ExtractionService(db).extract_all()
    assert entities.entity_page(db, entity.id).mentions == 2


def test_decisions_need_an_editor_and_a_known_name(db: Database,
                                                   loaded: dict[str, str]) -> None:
    with pytest.raises(PermissionDenied):
        candidates.reject(db, "Agron Berisha", actor=Actor("r@example.org", Role.CONTRIBUTOR))
    with pytest.raises(CandidateError, match="no candidate named 'Nobody Known'"):
        candidates.reject(db, "Nobody Known")
    with pytest.raises(CandidateError, match="Person or Organization"):
        candidates.accept_as_new(db, "Agron Berisha", "Vessel")
    assert candidates.find_candidate(db, "Agron Berisha").status == "open"


def test_merge_and_unmerge_move_the_mentions_and_back(db: Database,
                                                      loaded: dict[str, str]) -> None:
    article_id = loaded["kla-veterans"]  # KLA: once in the title, three times in the body
    assert {k: v[0] for k, v in links(db, article_id).items()
            if k in ("t-org-kla", "t-org-kpc")} == {"t-org-kla": 4, "t-org-kpc": 1}
    decisions.merge(db, "t-org-kla", "t-org-kpc")
    assert links(db, article_id)["t-org-kla"][0] == 5
    assert "t-org-kpc" not in links(db, article_id)
    assert ("Kosovo Protection Corps", "t-org-kla") in linked_texts(db, article_id)
    assert entities.entity_page(db, "t-org-kpc").mentions == 5  # the merged id finds the cluster
    summary = {s.entity.id: s.mentions for s in entities.list_entities(db)}
    assert summary["t-org-kla"] == 5 and "t-org-kpc" not in summary
    decisions.unmerge(db, "t-org-kpc")
    assert links(db, article_id)["t-org-kla"][0] == 4
    assert links(db, article_id)["t-org-kpc"][0] == 1
    assert entities.entity_page(db, "t-org-kpc").mentions == 1


def test_no_extract_stores_no_mentions(db: Database) -> None:
    registry_service.import_file(db, DATA / "registry.ftm.jsonl")
    report = ingest_service(db, extract=False).ingest([str(ARTICLES / "wagner-libya.md")])
    assert entities.article_mentions(db, report.article_ids[0]) == []
    with db.read() as conn:
        assert MentionRepository(conn).count_candidates() == 0
    ExtractionService(db).extract_all()
    assert ("Wagner Group", "t-org-wagner") in linked_texts(db, report.article_ids[0])


def test_countries_are_added_only_when_the_source_gave_none(db: Database,
                                                            loaded: dict[str, str]) -> None:
    service = ingest_service(db)
    own_id, _ = service.store(ArticleDraft("Serbian view", "Belgrade and Moscow talk about Kosovo.",
                                           "test:own", countries=["fr"]))
    with db.read() as conn:
        repo = ArticleRepository(conn)
        enriched = repo.get(loaded["kla-veterans"])
        own = repo.get(own_id)
    assert enriched is not None and own is not None
    assert enriched.countries == ["rs", "xk"]
    assert enriched.extra["extracted_countries"] == ["rs", "xk"]
    assert own.countries == ["fr"] and "extracted_countries" not in own.extra
    # A revision whose text (title too) names other countries: the extracted ones follow it.
    service.store(ArticleDraft("Veterans of the old army in politics",
                               "The KLA veterans met in Albania.",
                               str(ARTICLES / "kla-veterans.md")))
    with db.read() as conn:
        revised = ArticleRepository(conn).get(loaded["kla-veterans"])
    assert revised is not None and revised.countries == ["al"]


class Exploding:
    name = "exploding"
    produces = ("mentions",)

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        raise ValueError("cannot read this")


def test_a_component_failure_is_recorded_on_the_article(db: Database,
                                                       loaded: dict[str, str]) -> None:
    article_id = loaded["wagner-libya"]
    service = ExtractionService(db)
    with db.read() as conn:
        article = ArticleRepository(conn).get(article_id)
    assert article is not None
    result = Pipeline([Patterns(), Exploding()]).run(Document(article.body, "en", article_id))
    with db.transaction() as conn:
        service.store(conn, article, result)
    with db.read() as conn:
        stored = ArticleRepository(conn).get(article_id)
    assert stored is not None
    errors = stored.extra["extraction_errors"]
    assert isinstance(errors, list) and len(errors) == 1
    error = errors[0]
    assert error["component"] == "exploding" and "cannot read this" in error["message"]
    service.extract_all()
    with db.read() as conn:
        again = ArticleRepository(conn).get(article_id)
    assert again is not None and "extraction_errors" not in again.extra


def test_catalog_and_editor_links_survive_extraction(db: Database,
                                                     loaded: dict[str, str]) -> None:
    article_id = loaded["wagner-libya"]
    with db.transaction() as conn:
        pk = MentionRepository(conn).article_pk(article_id)
        conn.execute(insert(article_entities), [
            {"article_pk": pk, "entity_id": "t-per-lavrov", "mentions": 0, "role": "subject",
             "origin": "catalog"},
        ])
        conn.execute(article_entities.update().where(
            article_entities.c.article_pk == pk, article_entities.c.entity_id == "t-org-nato"
        ).values(origin="editor", role="subject"))
    ExtractionService(db).extract_all()
    with db.read() as conn:
        rows = {r.entity_id: (r.mentions, r.role, r.origin) for r in conn.execute(
            select(article_entities).where(article_entities.c.article_pk == pk))}
    assert rows["t-per-lavrov"] == (0, "subject", "catalog")
    assert rows["t-org-nato"] == (1, "subject", "editor")
    assert rows["t-org-wagner"][2] == "extraction"


def test_export_lists_linked_entities_and_reads_back(db: Database, loaded: dict[str, str],
                                                     tmp_path: Path) -> None:
    out = io.StringIO()
    export.write_jsonl(db, out)
    records = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    wagner = {e["id"]: e["mentions"] for e in records[loaded["wagner-libya"]]["entities"]}
    assert wagner["t-org-eu"] == 1 and wagner["t-org-wagner"] >= 3
    assert set(records[loaded["kla-veterans"]]["entities"][0]) == {"id", "mentions"}
    path = tmp_path / "export.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    report = ingest_service(db, extract=False).ingest([str(path)], "jsonl")
    assert report.failed == 0 and report.unchanged == 3


def test_a_same_named_foreign_group_is_not_the_subject_nor_files_the_article(
        db: Database, tmp_path: Path) -> None:
    """Issue 13: an article on Burkina Faso's Ansaroul Islam, with only Iraq's
    Ansar al-Islam in the registry, is not linked to it nor filed under Iraq."""
    registry = tmp_path / "registry.ftm.jsonl"
    registry.write_text("\n".join(json.dumps(record) for record in [
        {"id": "ansar-iq", "schema": "Organization",
         "properties": {"name": ["Ansar al-Islam"], "country": ["iq"]}},
        {"id": "jnim", "schema": "Organization",
         "properties": {"name": ["Jama'at Nusrat al-Islam wal-Muslimin"], "alias": ["JNIM"],
                        "country": ["ml", "bf"]}},
    ]) + "\n", encoding="utf-8")
    assert registry_service.import_file(db, registry).failed == 0
    article_id, _ = ingest_service(db).store(ArticleDraft(
        "Ansaroul Islam in northern Burkina Faso",
        "Ansaroul Islam fighters attacked an army post near Djibo in northern Burkina Faso "
        "on Monday. Ansaroul Islam has fought alongside JNIM since 2017.", "test:ansaroul"))
    found = linked_texts(db, article_id)
    assert ("Ansaroul Islam", None) in found and ("JNIM", "jnim") in found
    assert "ansar-iq" not in links(db, article_id)
    catalog = build_catalog(db)
    assert [c.code for c in catalog.countries] == ["bf"]


def test_the_articles_date_and_co_mentions_choose_between_same_named_groups(
        db: Database, tmp_path: Path) -> None:
    """Issue 13: with both groups in the registry and no country named, a variant
    spelling goes to the group active at the article's date, or to the group the
    registry relates to another entity the article names."""
    registry = tmp_path / "registry.ftm.jsonl"
    registry.write_text("\n".join(json.dumps(record) for record in [
        {"id": "ansar-iq", "schema": "Organization",
         "properties": {"name": ["Ansar al-Islam"], "country": ["iq"],
                        "incorporationDate": ["2001-12"], "dissolutionDate": ["2014"]}},
        {"id": "ansar-bf", "schema": "Organization",
         "properties": {"name": ["Ansaroul Islam"], "country": ["bf"],
                        "incorporationDate": ["2016-12"]}},
        {"id": "jnim", "schema": "Organization",
         "properties": {"name": ["Jama'at Nusrat al-Islam wal-Muslimin"], "alias": ["JNIM"]}},
        {"id": "rel-1", "schema": "UnknownLink",
         "properties": {"subject": ["ansar-bf"], "object": ["jnim"], "role": ["allied"],
                        "sourceUrl": ["https://example.org/sahel/1"]}},
    ]) + "\n", encoding="utf-8")
    assert registry_service.import_file(db, registry).failed == 0
    service = ingest_service(db)
    text = "Ansar ul-Islam claimed the attack on the {} convoy."
    undated, _ = service.store(ArticleDraft("An attack", text.format("first"), "test:undated"))
    recent, _ = service.store(ArticleDraft("An attack", text.format("second"), "test:recent",
                                           published_at=datetime(2023, 5, 2, tzinfo=UTC)))
    beside, _ = service.store(ArticleDraft(
        "An attack", text.format("third") + " JNIM said its fighters were not involved.",
        "test:beside"))
    assert len({undated, recent, beside}) == 3
    assert ("Ansar ul-Islam", "ansar-iq") in linked_texts(db, undated)  # by name alone
    assert ("Ansar ul-Islam", "ansar-bf") in linked_texts(db, recent)
    assert ("Ansar ul-Islam", "ansar-bf") in linked_texts(db, beside)


KOUFA = (
    ("Катиба Масина", "Проповедник Амаду Куфа основал катибу Масина в центре Мали."),
    ("Нападение на пост", "Сторонники Амаду Куфы напали на пост жандармерии."),
    ("Переговоры", "Власти не вели переговоров с Амаду Куфой, сообщили источники."),
)


def test_inflected_russian_names_are_one_candidate_named_in_the_nominative(
        db: Database) -> None:
    service = ingest_service(db)
    for number, (title, body) in enumerate(KOUFA):
        service.store(ArticleDraft(title, body, f"test:koufa-{number}", language="ru"))
    koufa = candidates.find_candidate(db, "Амаду Куфа")
    assert (koufa.name, koufa.label, koufa.mentions, koufa.articles) == (
        "Амаду Куфа", "PER", 3, 3)
    assert candidates.find_candidate(db, "Амаду Куфы").key == koufa.key
    with db.read() as conn:
        store = MentionRepository(conn)
        stored = [m for i in range(3) for m in store.mentions_of(
            store.article_pk(_id(conn, f"test:koufa-{i}")) or 0) if "Амаду" in m.text]
    assert sorted((m.text, m.normal) for m in stored) == [
        ("Амаду Куфа", None), ("Амаду Куфой", "Амаду Куфа"), ("Амаду Куфы", "Амаду Куфа")]


def _id(conn: Any, source: str) -> str:
    return next(a.id for a in ArticleRepository(conn).iter_all() if a.source == source)
