from __future__ import annotations

from pathlib import Path

from kartoteka.extract.gazetteer import Gazetteer, registry_signature
from kartoteka.extract.pipeline import Document, ExtractionResult
from kartoteka.model import Entity, Name

ENTITIES = [
    Entity("thaci", "Person", "Hashim Thaçi", [Name("Хашим Тачи"), Name("Snake", "weak")]),
    Entity("isis", "Organization", "Islamic State", [Name("IS"), Name("Исламское государство")]),
    Entity("kla", "Organization", "Kosovo Liberation Army", [Name("KLA")]),
    Entity("wagner-group", "Organization", "Wagner Group", [Name("Wagner")]),
    Entity("wagner-college", "Organization", "Wagner College", [Name("Wagner")]),
]


def found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str | None]]:
    result = ExtractionResult(Document(text))
    gazetteer(result.document, result)
    return [(m.text, m.label, m.entity_id) for m in result.mentions]


def test_folded_match_gives_the_exact_original_span() -> None:
    gazetteer = Gazetteer.build(ENTITIES)
    assert found(gazetteer, "Leader HASHIM THACI and the Kosovo  Liberation\nArmy.") == [
        ("HASHIM THACI", "PER", "thaci"), ("Kosovo  Liberation\nArmy", "ORG", "kla")]


def test_acronyms_need_capitals_and_words_need_boundaries() -> None:
    gazetteer = Gazetteer.build(ENTITIES)
    assert found(gazetteer, "This is what IS claimed; KLAxon is not KLA") == [
        ("IS", "ORG", "isis"), ("KLA", "ORG", "kla")]


def test_weak_aliases_do_not_link_and_shared_names_stay_unresolved() -> None:
    gazetteer = Gazetteer.build(ENTITIES)
    assert found(gazetteer, "Snake met Wagner") == [("Wagner", "ORG", None)]


def test_russian_inflected_names() -> None:
    gazetteer = Gazetteer.build(ENTITIES)
    assert found(gazetteer, "боевики «Исламского государства» и Хашима Тачи") == [
        ("Исламского государства", "ORG", "isis"), ("Хашима Тачи", "PER", "thaci")]


def test_cache_is_reused_and_rebuilt_when_the_registry_changes(tmp_path: Path) -> None:
    first = Gazetteer.from_entities(ENTITIES, cache=tmp_path)
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    again = Gazetteer.from_entities(ENTITIES, cache=tmp_path)
    assert again.signature == first.signature
    assert found(again, "Hashim Thaçi") == [("Hashim Thaçi", "PER", "thaci")]
    changed = [*ENTITIES, Entity("nato", "Organization", "NATO")]
    assert registry_signature(changed) != first.signature
    rebuilt = Gazetteer.from_entities(changed, cache=tmp_path)
    assert len(list(tmp_path.glob("gazetteer-*.pickle"))) == 2
    assert found(rebuilt, "NATO") == [("NATO", "ORG", "nato")]


def test_a_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    Gazetteer.from_entities(ENTITIES, cache=tmp_path)
    (path,) = tmp_path.glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    assert found(Gazetteer.from_entities(ENTITIES, cache=tmp_path), "KLA") == [
        ("KLA", "ORG", "kla")]


def test_cache_dir_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))
    Gazetteer.from_entities(ENTITIES)
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))


def test_a_name_that_starts_with_an_apostrophe_keeps_it() -> None:
    ndrangheta = Entity("ndr", "Organization", "'Ndrangheta", [Name("Ndrangheta")])
    gazetteer = Gazetteer.build([ndrangheta])
    assert found(gazetteer, "The ’Ndrangheta and the Ndrangheta, 'Ndrangheta.") == [
        ("’Ndrangheta", "ORG", "ndr"), ("Ndrangheta", "ORG", "ndr"), ("'Ndrangheta", "ORG", "ndr")]
