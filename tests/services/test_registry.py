from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from followthemoney import model as ftm_model

from kartoteka.model import ArticleDraft, Citation
from kartoteka.registry.files import UnreadableFile
from kartoteka.services import decisions
from kartoteka.services import registry as service
from kartoteka.services.matching import MatchFailure, RegistryMatcher
from kartoteka.services.registry import EntityNotFound, RegistryError
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry"
NOW = datetime(2024, 5, 1, tzinfo=UTC)
ARTICLE_URL = "https://example.org/articles/kla-history"


def store_article(db: Database, article_id: str = "art-kla", url: str = ARTICLE_URL) -> None:
    with db.transaction() as conn:
        ArticleRepository(conn).insert(
            article_id,
            ArticleDraft(title="KLA history", body="…", source=url, url=url),
            "hash-" + article_id,
            NOW,
        )


def export(db: Database, fmt: str = "ftm") -> str:
    out = io.StringIO()
    service.EXPORTS[fmt](db, out)
    return out.getvalue()


def test_import_keeps_ids_and_counts_everything(db: Database) -> None:
    report = service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    assert report.as_dict() == {
        "entities": {"added": 8, "updated": 0, "unchanged": 0},
        "relations": {"added": 3, "updated": 0, "unchanged": 0},
        "failed": 0,
        "errors": [],
    }
    detail = service.get_entity(db, "thaci")
    assert detail.entity.name == "Hashim Thaçi"
    assert [(r.id, r.role, r.target_id) for r in detail.relations] == [
        ("m-thaci-kla", "commander", "kla")
    ]
    assert sorted(e.id for e in service.list_entities(db, country="xk")) == [
        "kla", "kpc", "thaci"
    ]
    assert [e.id for e in service.list_entities(db, schema="Person", country="ru")] == [
        "prigozhin"
    ]


def test_a_bad_file_imports_its_good_lines_and_names_the_bad_ones(db: Database) -> None:
    report = service.import_file(db, REGISTRY / "bad.ftm.jsonl")
    lines = [e["line"] for e in report.as_dict()["errors"]]  # type: ignore[index]
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    ghost = next(e for e in report.errors if e.line == 6)
    assert ghost.record_id == "m-ghost" and "unknown entity 'ghost'" in ghost.message
    assert report.entities["added"] == 2 and report.relations["added"] == 1
    assert service.get_entity(db, "o-ok").relations[0].id == "m-ok"


def test_csv_import_and_unreadable_files(db: Database, tmp_path: Path) -> None:
    report = service.import_file(db, REGISTRY / "bad.csv")
    assert [e.line for e in report.errors] == [3, 4, 5, 6, 7, 8]
    assert report.entities["added"] == 2
    assert service.get_entity(db, "good-2").entity.countries == ["ba", "rs"]
    with pytest.raises(UnreadableFile, match="no such file"):
        service.import_file(db, tmp_path / "missing.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,schema,name\nx,Person,Vu\xe8i\xe6\n".encode("latin-1"))
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        service.import_file(db, latin1)


def test_reimporting_the_same_file_changes_nothing(db: Database) -> None:
    store_article(db)
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    before, version = export(db), service.registry_version(db)
    report = service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    assert report.entities == {"added": 0, "updated": 0, "unchanged": 8}
    assert report.relations == {"added": 0, "updated": 0, "unchanged": 3}
    assert service.registry_version(db) == version
    assert export(db) == before


def test_citations_resolve_to_stored_articles_and_stay_urls_otherwise(db: Database) -> None:
    store_article(db)
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    relations = {r.id: r for r in service.get_entity(db, "kla").relations}
    assert relations["m-thaci-kla"].citations == [
        Citation(article_id="art-kla", url=ARTICLE_URL)
    ]
    assert relations["l-kla-kpc"].citations == [
        Citation(article_id="art-kla", url=ARTICLE_URL),
        Citation(url="https://example.org/news/kpc-founded"),
    ]


def test_round_trip_import_export_import_is_equal(db: Database, tmp_path: Path) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    service.import_file(db, REGISTRY / "registry.csv")
    service.add_relation(db, "vucic", "thaci", "rival", start_date="2008")  # uncited
    first = export(db)
    lines = first.splitlines()
    assert len(lines) == 8 + 6 + 4
    for line in lines:  # the export is valid FtM, property by property
        data = json.loads(line)
        proxy = ftm_model.get_proxy(data, cleaned=False)
        assert proxy.schema.name == data["schema"]
        for prop, values in data["properties"].items():
            assert sorted(proxy.get(prop)) == sorted(values), (data["id"], prop)
    path = tmp_path / "export.ftm.jsonl"
    path.write_text(first, encoding="utf-8")
    # Into the same database: nothing changes.
    again = service.import_file(db, path)
    assert again.failed == 0 and again.entities["unchanged"] == 14
    assert again.relations["unchanged"] == 4
    assert export(db) == first


def test_round_trip_into_an_empty_database(db: Database, tmp_path: Path) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    path = tmp_path / "export.ftm.jsonl"
    path.write_text(export(db), encoding="utf-8")
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(export(db, "csv"), encoding="utf-8")
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.migrate()
    try:
        # Citations of an article the other database lacks stay URL citations.
        assert service.import_file(other, path).failed == 0
        assert export(other) == path.read_text(encoding="utf-8")
        assert export(other, "csv") == csv_path.read_text(encoding="utf-8")
    finally:
        other.dispose()


def test_merge_folds_names_and_relations_and_unmerge_reverses_exactly(db: Database) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    service.import_file(db, REGISTRY / "reimport.ftm.jsonl")
    service.add_relation(db, "prigozhin", "wagner-pmc", "founder",
                         cite=["https://example.org/founded"])
    before_keep = service.get_entity(db, "wagner").as_dict()
    before_other = service.get_entity(db, "wagner-pmc").as_dict()
    version = service.registry_version(db)

    merged = decisions.merge(db, "wagner", "wagner-pmc", by="editor@example.org")
    assert service.registry_version(db) > version
    assert merged.id == "wagner"
    assert {"Вагнер", "PMC Wagner Group", "ЧВК «Вагнер»"} <= set(merged.all_names())
    assert merged.countries == ["cf", "ru"]
    detail = service.get_entity(db, "wagner-pmc")  # the merged id finds its cluster
    assert detail.entity.id == "wagner" and detail.merged_ids == ["wagner-pmc"]
    assert sorted((r.role, r.target_id) for r in detail.relations) == [
        ("founder", "wagner"), ("leader", "wagner")
    ]
    assert [j.kind for j in detail.judgements] == ["merge"]
    assert [e.id for e in service.list_entities(db, country="cf")] == ["wagner"]
    assert service.canonical_id(db, "wagner-pmc") == "wagner"
    exported = [json.loads(x) for x in export(db).splitlines()]
    wagner = next(x for x in exported if x["id"] == "wagner")
    assert wagner["referents"] == ["wagner-pmc"]
    assert not any(x["id"] == "wagner-pmc" for x in exported)

    decisions.unmerge(db, "wagner-pmc", by="editor@example.org")
    after_keep = service.get_entity(db, "wagner").as_dict()
    after_other = service.get_entity(db, "wagner-pmc").as_dict()
    for before, after in ((before_keep, after_keep), (before_other, after_other)):
        history = after.pop("judgements")
        before.pop("judgements")
        assert after == before
    assert history[0]["kind"] == "merge" and history[0]["reverted_at"] is not None


def test_merge_survives_a_reimport_of_the_merged_entity(db: Database, tmp_path: Path) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    service.import_file(db, REGISTRY / "reimport.ftm.jsonl")
    decisions.merge(db, "wagner", "wagner-pmc")
    data = json.loads((REGISTRY / "reimport.ftm.jsonl").read_text(encoding="utf-8"))
    data["properties"]["alias"].append("Группа Вагнера")
    changed = tmp_path / "changed.ftm.jsonl"
    changed.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    report = service.import_file(db, changed)
    assert report.entities["updated"] == 1
    # The new data of the merged id lands in the cluster it was merged into.
    assert service.canonical_id(db, "wagner-pmc") == "wagner"
    assert "Группа Вагнера" in service.get_entity(db, "wagner").entity.all_names()
    assert [e.id for e in service.list_entities(db, country="cf")] == ["wagner"]


def test_merge_refusals(db: Database) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    decisions.merge(db, "kla", "kpc")
    with pytest.raises(RegistryError, match="already merged into 'kla'"):
        decisions.merge(db, "thaci", "kpc")
    with pytest.raises(RegistryError, match="already the same entity"):
        decisions.merge(db, "kpc", "kla")
    with pytest.raises(RegistryError, match="not merged"):
        decisions.unmerge(db, "kla")
    with pytest.raises(EntityNotFound, match="'nobody'"):
        decisions.merge(db, "kla", "nobody")


def test_aliases_added_and_removed_survive_reimport(db: Database) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    decisions.add_alias(db, "hts", "Хайат Тахрир аш-Шам", by="ed")
    entity = decisions.remove_alias(db, "hts", "HTS", by="ed")
    assert "HTS" not in entity.all_names()
    added = next(n for n in entity.names if n.value == "Хайат Тахрир аш-Шам")
    assert (added.kind, added.script) == ("alias", "Cyrl")
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    names = service.get_entity(db, "hts").entity.all_names()
    assert "HTS" not in names and "Хайат Тахрир аш-Шам" in names
    # Adding it back lifts the removal; the next import keeps it.
    decisions.add_alias(db, "hts", "HTS")
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    assert "HTS" in service.get_entity(db, "hts").entity.all_names()
    kinds = [j.kind for j in service.get_entity(db, "hts").judgements]
    assert kinds == ["alias_add", "alias_remove", "alias_add"]


def test_alias_refusals(db: Database) -> None:
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    with pytest.raises(RegistryError, match="primary name of 'hts'"):
        decisions.remove_alias(db, "hts", "Hay'at Tahrir al-Sham")
    with pytest.raises(RegistryError, match="has no alias 'ISIS'"):
        decisions.remove_alias(db, "hts", "ISIS")
    with pytest.raises(RegistryError, match="cannot be empty"):
        decisions.add_alias(db, "hts", "  ")
    with pytest.raises(EntityNotFound):
        decisions.add_alias(db, "nobody", "X")


def test_editor_relations_cite_articles_or_are_marked_asserted(db: Database) -> None:
    store_article(db)
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    cited = service.add_relation(db, "thaci", "kpc", "commander", start_date="1999-09",
                                 cite=["art-kla", "https://example.org/other"])
    assert (cited.schema, cited.editor_asserted) == ("Membership", False)
    assert cited.citations == [Citation(article_id="art-kla"),
                               Citation(url="https://example.org/other")]
    uncited = service.add_relation(db, "hts", "zetas", "rival")
    assert (uncited.schema, uncited.editor_asserted, uncited.citations) == (
        "UnknownLink", True, []
    )
    # The same relation again with a citation gains it and stops being merely asserted.
    again = service.add_relation(db, "hts", "zetas", "rival", cite=[ARTICLE_URL])
    assert again.id == uncited.id and again.editor_asserted is False
    stored = {r.id: r for r in service.get_entity(db, "zetas").relations}
    assert stored[uncited.id].citations == [Citation(article_id="art-kla", url=ARTICLE_URL)]
    with pytest.raises(RegistryError, match="neither a stored article"):
        service.add_relation(db, "thaci", "kla", "member", cite=["no-such-article"])
    with pytest.raises(RegistryError, match="--start expects"):
        service.add_relation(db, "thaci", "kla", "member", start_date="spring 1998")
    with pytest.raises(RegistryError, match="no relation kind"):
        service.add_relation(db, "kla", "thaci", "member")
    with pytest.raises(EntityNotFound):
        service.add_relation(db, "thaci", "nobody", "member")


def test_a_relation_entered_again_gains_the_citation_instead_of_a_twin(db: Database) -> None:
    store_article(db)
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    before = service.get_entity(db, "thaci").relations
    imported = next(r for r in before if r.id == "m-thaci-kla")
    again = service.add_relation(db, "thaci", "kla", "Commander", start_date="1998",
                                 end_date="1999-09", cite=["https://example.org/other"])
    assert again.id == "m-thaci-kla"
    after = service.get_entity(db, "thaci").relations
    assert [r.id for r in after] == [r.id for r in before]
    stored = next(r for r in after if r.id == "m-thaci-kla")
    assert stored.citations == [*imported.citations, Citation(url="https://example.org/other")]
    assert len(stored.citations) == 2
    # Different dates are a different statement, and stay a relation of their own.
    other = service.add_relation(db, "thaci", "kla", "commander", start_date="1997")
    assert other.id != "m-thaci-kla"


def test_a_name_the_matcher_fails_on_is_that_names_error(db: Database) -> None:
    """Undecodable bytes (a lone surrogate, as Python keeps them) break the matcher's
    romanisation; the batch answers the other names."""
    service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    results = list(RegistryMatcher(db).match_names(["Tha\udce7i", "Хашим Тачи"]))
    failure, answered = results
    assert isinstance(failure, MatchFailure) and failure.query == "Tha\udce7i"
    assert "UnicodeEncodeError" in failure.reason
    assert not isinstance(answered, MatchFailure)
    assert answered.best is not None and answered.best.id == "thaci"
