from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from kartoteka.model import Citation, Entity, Name, Relation
from kartoteka.registry.records import make_entity
from kartoteka.store.database import Database
from kartoteka.store.judgements import JudgementKind, JudgementRepository
from kartoteka.store.registry import EntityFilter, RegistryRepository
from kartoteka.store.registry_relations import Outcome
from kartoteka.store.registry_tables import entity_names

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def kla() -> Entity:
    return make_entity(
        "kla", "Organization", ["Kosovo Liberation Army"],
        aliases=["UÇK", "Армия освобождения Косова"], weak_aliases=["the Army"],
        countries=["xk", "al"], topics=["mil"], identifiers={"wikidataId": "Q10000001"},
        description="Armed group.",
    )


def thaci() -> Entity:
    return make_entity("thaci", "Person", ["Hashim Thaçi"], aliases=["Хашим Тачи"],
                       countries=["xk"])


def test_entity_reads_back_with_every_field(db: Database) -> None:
    with db.transaction() as conn:
        assert RegistryRepository(conn).save_entity(kla(), NOW) is Outcome.ADDED
    with db.read() as conn:
        stored = RegistryRepository(conn).entity("kla")
    assert stored == kla()
    assert Name("Армия освобождения Косова", "alias", None, "Cyrl") in stored.names


def test_an_active_period_reads_back_and_a_change_to_it_is_an_update(db: Database) -> None:
    dated = make_entity("ansar", "Organization", ["Ansar al-Islam"], start_date="2001-12",
                        end_date="2014")
    with db.transaction() as conn:
        RegistryRepository(conn).save_entity(dated, NOW)
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        assert repo.save_entity(dated, NOW) is Outcome.UNCHANGED
        dated.end_date = "2015"
        assert repo.save_entity(dated, NOW) is Outcome.UPDATED
    with db.read() as conn:
        stored = RegistryRepository(conn).entity("ansar")
    assert stored is not None and (stored.start_date, stored.end_date) == ("2001-12", "2015")


def test_a_merged_cluster_is_active_from_its_earliest_start_to_its_latest_end(
        db: Database) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity_id, start, end in (("a", "2003", "2010-05"), ("b", "2001-12", "2014"),
                                      ("c", None, "2012")):
            repo.save_entity(make_entity(entity_id, "Organization", [f"Group {entity_id}"],
                                         start_date=start, end_date=end), NOW)
        repo.set_merged_into("b", "a", NOW)
    with db.read() as conn:
        merged = RegistryRepository(conn).entity("a")
        assert merged is not None and (merged.start_date, merged.end_date) == ("2001-12", "2014")
    with db.transaction() as conn:
        RegistryRepository(conn).set_merged_into("c", "a", NOW)
    with db.read() as conn:
        merged = RegistryRepository(conn).entity("a")
    # One member's start is unknown: so is the cluster's.
    assert merged is not None and (merged.start_date, merged.end_date) == (None, "2014")


def test_saving_the_same_entity_again_changes_nothing(db: Database) -> None:
    with db.transaction() as conn:
        RegistryRepository(conn).save_entity(kla(), NOW)
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        assert repo.save_entity(kla(), NOW) is Outcome.UNCHANGED
        assert repo.changed is False
        changed = kla()
        changed.countries = ["xk"]
        assert repo.save_entity(changed, NOW) is Outcome.UPDATED
        assert repo.changed is True
        names = conn.execute(select(func.count()).select_from(entity_names)).scalar_one()
    assert names == 4
    with db.read() as conn:
        stored = RegistryRepository(conn).entity("kla")
    assert stored is not None and stored.countries == ["xk"]


def test_editor_names_survive_an_import_that_rewrites_the_others(db: Database) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        repo.save_entity(kla(), NOW)
        assert repo.add_name("kla", Name("ОАК", "alias", None, "Cyrl"), "editor") is True
        assert repo.add_name("kla", Name("ОАК", "alias", None, "Cyrl"), "editor") is False
        fewer = kla()
        fewer.names = fewer.names[:1]
        repo.save_entity(fewer, NOW, removed_names=frozenset())
    with db.read() as conn:
        stored = RegistryRepository(conn).entity("kla")
    assert stored is not None
    assert [n.value for n in stored.names] == ["Kosovo Liberation Army", "ОАК"]


def test_removed_names_are_not_written(db: Database) -> None:
    with db.transaction() as conn:
        RegistryRepository(conn).save_entity(kla(), NOW, removed_names=frozenset({"UÇK"}))
    with db.read() as conn:
        stored = RegistryRepository(conn).entity("kla")
    assert stored is not None and "UÇK" not in stored.all_names()


def test_a_cluster_reads_as_one_entity_under_its_canonical_id(db: Database) -> None:
    other = make_entity("kla-2", "Organization", ["UCK"], aliases=["Kosovo Liberation Army"],
                        countries=["rs"], topics=["crime.war"])
    third = make_entity("kla-3", "Organization", ["Ushtria Çlirimtare e Kosovës"])
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity in (kla(), other, third):
            repo.save_entity(entity, NOW)
        repo.set_merged_into("kla-2", "kla", NOW)
        repo.set_merged_into("kla-3", "kla-2", NOW)  # a chain
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert repo.canonical_id("kla-3") == "kla"
        assert repo.canonical_id("nobody") is None
        assert repo.cluster_ids("kla") == ["kla", "kla-2", "kla-3"]
        assert repo.merge_map() == {"kla-2": "kla", "kla-3": "kla"}
        merged = repo.entity("kla-3")
        listed = list(repo.iter_entities())
        assert repo.count_entities() == 1
    assert merged is not None and merged.id == "kla"
    assert merged.name == "Kosovo Liberation Army"
    kinds = {n.value: n.kind for n in merged.names}
    # Merged members' primary names become aliases; a shared name appears once.
    assert kinds["UCK"] == "alias" and kinds["Ushtria Çlirimtare e Kosovës"] == "alias"
    assert kinds["Kosovo Liberation Army"] == "name"
    assert merged.countries == ["al", "rs", "xk"]
    assert merged.topics == ["crime.war", "mil"]
    assert listed == [merged]


def test_listing_filters_by_country_and_schema(db: Database) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        repo.save_entity(kla(), NOW)
        repo.save_entity(thaci(), NOW)
        repo.save_entity(make_entity("vucic", "Person", ["Aleksandar Vučić"], countries=["rs"]),
                         NOW)
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert [e.id for e in repo.iter_entities(EntityFilter(country="XK"))] == ["kla", "thaci"]
        assert [e.id for e in repo.iter_entities(EntityFilter(schema="Person"))] == [
            "thaci", "vucic"
        ]
        assert [e.id for e in repo.iter_entities(EntityFilter("rs", "Person"))] == ["vucic"]


def test_relations_keep_citations_and_show_canonical_ends(db: Database) -> None:
    relation = Relation(
        "m1", "Membership", "thaci", "kla", "commander", "1998", "1999-09",
        citations=[Citation(url="https://example.org/a"), Citation(article_id="abc", url=None)],
    )
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        repo.save_entity(kla(), NOW)
        repo.save_entity(thaci(), NOW)
        repo.save_entity(make_entity("kla-old", "Organization", ["UÇK (old)"]), NOW)
        assert repo.save_relation(relation, "import", NOW) is Outcome.ADDED
        assert repo.save_relation(relation, "import", NOW) is Outcome.UNCHANGED
        moved = Relation("m2", "Membership", "thaci", "kla-old", "member",
                         citations=[Citation(url="https://example.org/b")])
        repo.save_relation(moved, "import", NOW)
        repo.set_merged_into("kla-old", "kla", NOW)
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert repo.relation("m1") == relation
        around = repo.relations_of(repo.cluster_ids("kla"))
        exported = list(repo.iter_relations())
    assert [(r.id, r.target_id) for r in around] == [("m1", "kla"), ("m2", "kla")]
    assert exported == around


def test_fewer_citations_replace_the_old_ones(db: Database) -> None:
    relation = Relation("m1", "Membership", "thaci", "kla", "commander",
                        citations=[Citation(url="https://example.org/a"),
                                   Citation(url="https://example.org/b")])
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        repo.save_entity(kla(), NOW)
        repo.save_entity(thaci(), NOW)
        repo.save_relation(relation, "import", NOW)
        relation.citations = relation.citations[1:]
        assert repo.save_relation(relation, "import", NOW) is Outcome.UPDATED
    with db.read() as conn:
        stored = RegistryRepository(conn).relation("m1")
    assert stored is not None and stored.citations == [Citation(url="https://example.org/b")]


def test_version_counts_changes_even_after_the_state_row_is_gone(db: Database) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        assert repo.version() == 0
        assert repo.bump_version(NOW) == 1
        assert repo.bump_version(NOW) == 2


def test_judgements_are_reverted_not_deleted(db: Database) -> None:
    with db.transaction() as conn:
        judgements = JudgementRepository(conn)
        pk = judgements.record(JudgementKind.ALIAS_REMOVE, "kla", NOW, value="UÇK",
                               created_by="editor@example.org")
        judgements.record(JudgementKind.MERGE, "kla", NOW, object_id="kla-2")
        assert judgements.removed_names(["kla", "x"]) == {"kla": frozenset({"UÇK"})}
        judgements.revert(pk, NOW, "editor@example.org")
        assert judgements.removed_names(["kla"]) == {}
        assert [j.kind for j in judgements.active(JudgementKind.MERGE, object_id="kla-2")] == [
            "merge"
        ]
        history = judgements.history(["kla-2"])
        assert [(j.kind, j.subject_id) for j in history] == [("merge", "kla")]
        everything = judgements.history(["kla"])
    assert everything[0].reverted_at == NOW and everything[0].created_by == "editor@example.org"
    assert everything[1].reverted_at is None


def test_saving_a_batch_adds_updates_and_skips_like_one_at_a_time(db: Database) -> None:
    with db.transaction() as conn:
        RegistryRepository(conn).save_entity(kla(), NOW)
        RegistryRepository(conn).save_entity(thaci(), NOW)
    renamed = thaci()
    renamed.names = [*renamed.names, Name("Thaqi", "alias", None, "Latn")]
    fresh = make_entity("vucic", "Person", ["Aleksandar Vučić"], aliases=["Вучић"],
                        countries=["rs"])
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        outcomes = repo.save_entities(
            [kla(), renamed, fresh], NOW, {"vucic": frozenset({"Вучић"})}
        )
    assert outcomes == [Outcome.UNCHANGED, Outcome.UPDATED, Outcome.ADDED]
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert repo.entity("kla") == kla()
        assert repo.entity("thaci") == renamed
        stored = repo.entity("vucic")
    assert stored is not None
    assert stored.all_names() == ["Aleksandar Vučić"] and stored.countries == ["rs"]
