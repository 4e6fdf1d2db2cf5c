"""The store's rows are read from the model by name.

An entity, its names, a relation, its citations and a mention are written and
read back field by field from the dataclass (``store/model_columns.py``), and
an author and a revision are read back so: a field added to the model and the
table needs no edit in the store.  These tests keep the two in step: every
field has a column, and every field set to a value other than its default
comes back as it went in, through each way in (one at a time, a batch) and out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from kartoteka.model import (
    ArticleDraft,
    Author,
    AuthorKind,
    Citation,
    Entity,
    Mention,
    Name,
    Relation,
    Revision,
)
from kartoteka.store.articles import REVISION_FIELDS, ArticleRepository
from kartoteka.store.authors import AUTHOR_FIELDS, AuthorRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import mentions
from kartoteka.store.mentions import MENTION_FIELDS, MentionRepository
from kartoteka.store.mentions_batch import replace_many
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.registry import (
    _FOLD,
    ENTITY_FIELDS,
    ENTITY_JOINED,
    NAME_FIELDS,
    RegistryRepository,
)
from kartoteka.store.registry_relations import (
    CITATION_FIELDS,
    RELATION_FIELDS,
    RELATION_JOINED,
    Outcome,
)
from kartoteka.store.registry_tables import entities, entity_names, relation_citations, relations
from kartoteka.store.tables import article_revisions, articles, authors

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _every_field_set(obj: object) -> None:
    """Each field of ``obj`` differs from its default, so reading it back proves it
    was carried: a field added to the model fails here until the test gives it."""
    unset = [f.name for f in fields(obj) if getattr(obj, f.name) == _default(f)]  # type: ignore[arg-type]
    assert not unset, f"give these fields a value other than the default: {unset}"


def full_entity(entity_id: str = "kla", variant: int = 0) -> Entity:
    return Entity(
        id=entity_id,
        schema=("Organization", "LegalEntity")[variant],
        name=("Kosovo Liberation Army", "UÇK")[variant],
        names=[Name(("Kosovo Liberation Army", "UÇK")[variant], "name", "en", "Latn"),
               Name(("Армия освобождения Косова", "ОАК")[variant], "alias", "ru", "Cyrl")],
        countries=[("al", "mk")[variant], "xk"],
        topics=[("mil", "crime")[variant]],
        identifiers={"wikidataId": ("Q10000001", "Q10000002")[variant]},
        description=("Armed group.", "Armed group, later a party.")[variant],
        start_date=("1993", "1994-02")[variant],
        end_date=("1999-09", "2000")[variant],
    )


def test_every_field_of_an_entity_a_name_a_relation_and_a_citation_is_a_column() -> None:
    assert set(ENTITY_FIELDS.names) | ENTITY_JOINED == {f.name for f in fields(Entity)}
    assert set(ENTITY_FIELDS.names) <= set(entities.c.keys())
    assert set(_FOLD) < set(ENTITY_FIELDS.names)  # how a cluster combines a field, by name
    assert set(NAME_FIELDS.names) == {f.name for f in fields(Name)} <= set(entity_names.c.keys())
    assert set(RELATION_FIELDS.names) | RELATION_JOINED == {f.name for f in fields(Relation)}
    assert set(RELATION_FIELDS.names) <= set(relations.c.keys())
    assert set(CITATION_FIELDS.names) == {f.name for f in fields(Citation)}
    assert set(CITATION_FIELDS.names) <= set(relation_citations.c.keys())
    assert set(MENTION_FIELDS.names) | {"article_id"} == {f.name for f in fields(Mention)}
    assert set(MENTION_FIELDS.names) <= set(mentions.c.keys())
    assert set(REVISION_FIELDS.names) | {"article_id"} == {f.name for f in fields(Revision)}
    assert set(REVISION_FIELDS.names) <= set(article_revisions.c.keys())
    assert set(AUTHOR_FIELDS.names) == {f.name for f in fields(Author)} <= set(authors.c.keys())


def test_the_written_values_are_every_stored_field_but_the_key_and_copies_of_lists() -> None:
    entity = full_entity()
    values = ENTITY_FIELDS.values(entity)
    assert list(values) == [name for name in ENTITY_FIELDS.names if name != "id"]
    assert values == {name: getattr(entity, name) for name in values}
    assert values["topics"] is not entity.topics
    assert values["identifiers"] is not entity.identifiers


def test_a_model_field_without_a_column_stops_the_store_naming_it() -> None:
    @dataclass
    class Extended(Entity):
        founded_by: str = ""

    with pytest.raises(TypeError, match=r"\['founded_by'\] have no column in table 'entities'"):
        stored_fields(Extended, entities, joined=ENTITY_JOINED)


def test_an_entity_with_every_field_set_reads_back_equal_however_it_went_in(
    db: Database,
) -> None:
    one, batch = full_entity("kla"), full_entity("uck", 1)
    _every_field_set(one)
    _every_field_set(batch)
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        assert repo.save_entity(one, NOW) is Outcome.ADDED
        assert repo.save_entities([batch], NOW) == [Outcome.ADDED]
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert repo.entity("kla") == one
        assert repo.member_entity("uck") == batch
        assert list(repo.iter_entities()) == [one, batch]


@pytest.mark.parametrize("name", list(ENTITY_FIELDS.written))
def test_a_change_to_any_entity_column_is_an_update_and_reads_back(
    db: Database, name: str,
) -> None:
    """The import's comparison reads the same fields as its write: no field is left
    out of either (one changed field alone is an update, on one entity and a batch)."""
    first, changed = full_entity("kla"), full_entity("kla")
    setattr(changed, name, getattr(full_entity("kla", 1), name))
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        repo.save_entity(first, NOW)
        assert repo.save_entities([first], NOW) == [Outcome.UNCHANGED]
        assert repo.save_entities([changed], NOW) == [Outcome.UPDATED]
        assert repo.save_entity(changed, NOW) is Outcome.UNCHANGED
    with db.read() as conn:
        assert RegistryRepository(conn).entity("kla") == changed


def test_a_relation_and_its_citations_read_back_equal(db: Database) -> None:
    with db.transaction() as conn:
        ArticleRepository(conn).insert("a1", ArticleDraft("T", "B", "/tmp/a.md"), "h1", NOW)
        repo = RegistryRepository(conn)
        repo.save_entities([full_entity("kla"), full_entity("uck", 1)], NOW)
        relation = Relation(
            id="r1", schema="Membership", source_id="uck", target_id="kla", role="wing",
            start_date="1998", end_date="1999-06",
            citations=[Citation("a1", "https://example.org/a1"), Citation(None, "https://x.org")],
            editor_asserted=True,
        )
        _every_field_set(relation)
        _every_field_set(relation.citations[0])
        assert repo.save_relation(relation, "editor", NOW) is Outcome.ADDED
        assert repo.save_relation(relation, "editor", NOW) is Outcome.UNCHANGED
    with db.read() as conn:
        repo = RegistryRepository(conn)
        assert repo.relation("r1") == relation
        assert repo.relations_of(["kla"]) == [relation]
        assert list(repo.iter_relations()) == [relation]


def test_a_mention_with_every_field_set_reads_back_equal_one_by_one_or_in_a_batch(
    db: Database,
) -> None:
    """The batch's rows are the one-by-one's (the batch once lost the section:
    title mentions came back as the body's)."""
    found = Mention("a1", 3, 9, "Ćeku's", "PER", "gazetteer", 0.5, "ceku", "Ćeku", "title")
    _every_field_set(found)
    with db.transaction() as conn:
        store = ArticleRepository(conn)
        store.insert("a1", ArticleDraft("T", "B", "/tmp/a.md"), "h1", NOW)
        store.insert("a2", ArticleDraft("T2", "B2", "/tmp/b.md"), "h2", NOW)
        pks = {row.id: row.pk for row in conn.execute(select(articles.c.id, articles.c.pk))}
        MentionRepository(conn).replace(pks["a1"], [(found, "ceku")], [])
        replace_many(conn, [(pks["a2"], [(found, "ceku")], [])])
    with db.read() as conn:
        repo = MentionRepository(conn)
        assert repo.mentions_of(pks["a1"], "a1") == [found]
        assert repo.mentions_of(pks["a2"], "a1") == [found]


def test_an_author_reads_back_equal_on_an_article_in_the_list_and_by_handle(
    db: Database,
) -> None:
    """An author is read in three places (an article's joined columns, the list,
    the authors' repository), each from the model's fields by name."""
    author = Author("@sahel_monitor", "Sahel Monitor", AuthorKind.CHANNEL)
    _every_field_set(author)
    with db.transaction() as conn:
        ArticleRepository(conn).insert(
            "a1", ArticleDraft("T", "B", "/tmp/a.md", author=author), "h1", NOW)
    with db.read() as conn:
        store = ArticleRepository(conn)
        article = store.get("a1")
        assert article is not None and article.author == author
        assert store.get_author("sahel_monitor") == author
        assert [found for found, _count in store.list_authors()] == [author]
        stored = AuthorRepository(conn).find("@sahel_monitor")
        assert stored is not None and stored.author == author


def test_a_revision_reads_back_with_every_field(db: Database) -> None:
    with db.transaction() as conn:
        store = ArticleRepository(conn)
        store.insert("a1", ArticleDraft("T", "B", "/tmp/a.md"), "h1", NOW)
        store.revise("a1", ArticleDraft("T2", "B2", "/tmp/a.md"), "h2", NOW, created_by="editor")
    with db.read() as conn:
        first, second = ArticleRepository(conn).revisions("a1")
    assert first == Revision("a1", 1, "T", "B", "h1", NOW, None)
    _every_field_set(second)
    assert second == Revision("a1", 2, "T2", "B2", "h2", NOW, "editor")
