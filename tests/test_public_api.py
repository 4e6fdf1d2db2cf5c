"""The public API, pinned: a name added to or dropped from a public module's
``__all__`` is a decision, made here as well (the modules other layers and
other engineers build on)."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "kartoteka.model": [
        "Article", "ArticleDraft", "ArticleStatus", "Author", "AuthorKind", "Citation",
        "Entity", "Mention", "Name", "Relation", "Revision", "SearchHit", "Widening",
        "article_id_for_key",
    ],
    "kartoteka.record": [
        "PRIVATE", "STORED", "WORKING", "as_record", "field_names", "json_value", "tagged",
        "tags_of",
    ],
    "kartoteka.schemata": [
        "ORGANIZATION", "PERSON", "PLACE", "RelationProperties", "compatible",
        "entity_schemata", "is_a", "is_entity_schema", "is_organization", "is_person",
        "is_place", "is_relation_schema", "kind", "relation_properties", "relation_schemata",
        "unknown_schema_message",
    ],
    "kartoteka.settings": [
        "DEFAULT_DATABASE_URL", "DEFAULT_DEMO_DATABASE", "QUEUE_ENV", "Settings",
        "queue_wanted", "site_key",
    ],
    "kartoteka.logs": [
        "CHATTY_LIBRARIES", "LOG_FORMAT_ENV", "LOG_LEVEL_ENV", "configure_logging", "log_level",
        "uvicorn_log_config",
    ],
    "kartoteka.store.database": ["Database", "DatabaseNotReady", "MIGRATIONS"],
    "kartoteka.store.model_columns": ["StoredFields", "stored_fields"],
    "kartoteka.ingest.base": [
        "Input", "ItemError", "ReadFailure", "ReadItem", "ReadOptions", "Reader", "Skipped",
    ],
    "kartoteka.extract.pipeline": [
        "BatchComponent", "COUNTRY", "Component", "ComponentError", "CountryMention",
        "Document", "ExtractionResult", "LOCATION", "NAME_LABELS", "ORGANIZATION", "PERSON",
        "PatternMatch", "Pipeline",
    ],
    "kartoteka.link.matcher": [
        "AMBIGUITY_MARGIN", "DEFAULT_THRESHOLD", "MatchCandidate", "MatchResult",
        "NameMatcher", "WEAK_CAP", "compare_names", "same_schema",
    ],
    "kartoteka.services.matching": [
        "MatchFailure", "MatcherState", "RegistryMatcher", "Stamp", "registry_stamp",
    ],
    "kartoteka.services.wiring": ["Services", "build_services", "ingest_service"],
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_module_exports_exactly_its_pinned_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} declares no __all__"
    assert sorted(exported) == sorted(PUBLIC[name])
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"


def test_star_import_gives_the_pinned_names() -> None:
    for name, names in PUBLIC.items():
        namespace: dict[str, object] = {}
        exec(f"from {name} import *", namespace)
        assert sorted(k for k in namespace if k != "__builtins__") == sorted(names)
