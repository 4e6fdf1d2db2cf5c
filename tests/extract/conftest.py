"""Fixtures for extraction tests: the annotated registry and loaded pipelines.

Statistical models load once per session (their loaders are cached), so
only the first test that needs spaCy or natasha pays for it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from kartoteka.extract.linking import KeyedNameLinker
from kartoteka.extract.pipeline import Pipeline
from kartoteka.extract.standard import standard_pipeline
from kartoteka.model import Entity, Name

ROOT = Path(__file__).resolve().parents[2]


def _load_annotated_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("annotated_set",
                                                  ROOT / "bench" / "annotated_set.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def annotated() -> ModuleType:
    return _load_annotated_module()


@pytest.fixture(scope="session")
def registry(annotated: ModuleType) -> list[Entity]:
    entities: list[Entity] = annotated.load_registry()
    return entities


@pytest.fixture(scope="session")
def seed_registry() -> list[Entity]:
    """The seed's people and organisations, in the registry's own spellings."""
    return [
        Entity("lavrov", "Person", "Sergey Lavrov", [Name("Сергей Лавров")]),
        Entity("botsan", "Person", "Alexander Botsan-Kharchenko"),
        Entity("vucic", "Person", "Aleksandar Vučić", [Name("Александр Вучич")]),
        Entity("thaci", "Person", "Hashim Thaçi", [Name("Хашим Тачи")]),
        Entity("kla", "Organization", "Kosovo Liberation Army", [Name("KLA"), Name("UÇK")]),
        Entity("kpc", "Organization", "Kosovo Protection Corps",
               [Name("Kosovo Defense Corps")]),
        Entity("kfor", "Organization", "Kosovo Force", [Name("KFOR")]),
        Entity("nato", "Organization", "North Atlantic Treaty Organization", [Name("NATO")]),
        Entity("eu", "Organization", "European Union", [Name("EU")]),
    ]


@pytest.fixture(scope="session")
def full_pipeline(registry: list[Entity]) -> Pipeline:
    """Patterns, gazetteer, both NER models and the exact-name linker."""
    return standard_pipeline(registry, linker=KeyedNameLinker(registry), cache=False)
