"""One matcher per process, rebuilt by one rule: the registry's version stamp."""

from __future__ import annotations

import gc
from pathlib import Path

from kartoteka.services import decisions
from kartoteka.services import registry as registry_service
from kartoteka.services.search import search
from kartoteka.services.wiring import build_services
from kartoteka.settings import Settings
from kartoteka.store.database import Database

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry"


def test_the_matcher_is_rebuilt_only_when_the_registry_changes(db: Database) -> None:
    registry_service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    matcher = build_services(Settings.from_env(db.url), db).matcher
    first = matcher.current()
    assert matcher.current() is first
    assert first.match("Хашим Тачи").best.id == "thaci"  # type: ignore[union-attr]
    registry_service.import_file(db, REGISTRY / "registry.ftm.jsonl")  # changes nothing
    assert matcher.current() is first
    registry_service.import_file(db, REGISTRY / "reimport.ftm.jsonl")
    decisions.merge(db, "wagner", "wagner-pmc")
    rebuilt = matcher.current()
    assert rebuilt is not first
    # The merged entity's names now find the canonical entity.
    best = matcher.match("PMC Wagner Group").best
    assert best is not None and best.id == "wagner"
    results = list(matcher.match_names(["Hay'at Tahrir al-Sham", "Wagner College"]))
    assert results[0].best is not None and results[0].best.id == "hts"
    assert results[1].best is None


def test_extraction_and_search_share_the_one_matcher(db: Database) -> None:
    registry_service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    services = build_services(Settings.from_env(db.url), db)
    services.extraction.ner = False  # the linker is what is shared; no models needed
    pipeline = services.extraction.pipeline()
    linker = next(c for c in pipeline.components if c.name == "linking").linker  # type: ignore[attr-defined]
    assert linker.matcher is services.matcher.current()
    search(services.db, "Hashim Thaci", matcher=services.matcher)
    assert services.matcher.current() is linker.matcher
    # The same pipeline until the registry changes; then both are rebuilt once.
    assert services.extraction.pipeline() is pipeline
    registry_service.import_file(db, REGISTRY / "reimport.ftm.jsonl")
    rebuilt = services.extraction.pipeline()
    assert rebuilt is not pipeline
    relinker = next(c for c in rebuilt.components if c.name == "linking").linker  # type: ignore[attr-defined]
    assert relinker.matcher is services.matcher.current() is not linker.matcher


def test_the_process_matcher_is_kept_out_of_the_cyclic_collectors_reach(db: Database) -> None:
    registry_service.import_file(db, REGISTRY / "registry.ftm.jsonl")
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    build_services(Settings.from_env(db.url), db).matcher.current()
    assert gc.get_freeze_count() > 0  # a full collection no longer rescans it
