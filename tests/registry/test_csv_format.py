from __future__ import annotations

from pathlib import Path

from kartoteka.model import Name
from kartoteka.registry.csv_format import read_csv, write_csv
from kartoteka.registry.files import read_registry_file


def test_reads_lists_split_on_semicolons(registry_data: Path) -> None:
    parsed = read_registry_file(registry_data / "registry.csv")
    assert parsed.errors == []
    by_id = {e.id: e for e in parsed.entities}
    jnim = by_id["jnim"]
    assert jnim.countries == ["bf", "ml"]
    assert jnim.topics == ["crime.terror"]
    assert [n.value for n in jnim.names] == [
        "Jama'at Nusrat al-Islam wal-Muslimin", "JNIM", "J.N.I.M.",
        "جماعة نصرة الإسلام والمسلمين", "Джамаат Нусрат аль-Ислам валь-Муслимин",
    ]
    assert by_id["cartel-gulf"].name == "Gulf Cartel, the"  # a quoted comma stays
    assert by_id["grey-wolves"].topics == []
    assert Name("Серые волки", "alias", "ru", "Cyrl") in by_id["grey-wolves"].names


def test_bad_rows_are_reported_with_their_line(registry_data: Path) -> None:
    parsed = read_registry_file(registry_data / "bad.csv")
    errors = {e.line: e.message for e in parsed.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "missing name" in errors[3]
    assert "unknown schema 'Ship'" in errors[4]
    assert "unknown country code 'su'" in errors[5]
    assert "duplicate id 'good-1': first used on line 2" in errors[6]
    assert "invalid id 'bad id'" in errors[7]
    assert "more cells" in errors[8]
    assert [e.id for e in parsed.entities] == ["good-1", "good-2"]


def test_a_header_without_the_required_columns_is_one_error() -> None:
    parsed = read_csv("identifier,label\nx,y\n")
    assert [(e.line, e.message[:28]) for e in parsed.errors] == [
        (1, "the header lacks id, schema,")
    ]
    assert parsed.entities == []


def test_write_then_read_gives_the_same_entities(registry_data: Path) -> None:
    parsed = read_registry_file(registry_data / "registry.csv")
    text = "".join(write_csv(parsed.entities))
    assert text.splitlines()[0] == "id,schema,name,aliases,countries,topics"
    assert read_csv(text).entities == parsed.entities
