"""Registry lines that once raised out of the importers (issue 14) are now line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.registry.csv_format import read_csv
from kartoteka.registry.files import UnreadableFile, read_registry_bytes
from kartoteka.registry.ftm import read_ftm

GOOD = '{"id": "ktk-ok", "schema": "Person", "properties": {"name": ["Agim Ceku"]}}'


@pytest.mark.parametrize(("line", "expected"), [
    ('{"id": "a", "schema": ["Person"], "properties": {"name": ["x"]}}',
     "unknown or unsupported schema of type list"),
    ('{"id": "a", "schema": {"x": 1}}', "unknown or unsupported schema of type dict"),
    ('{"id": "a", "schema": "Person", "properties": ' + "[" * 200_000 + "]" * 200_000 + "}",
     "invalid JSON: JSON nested too deeply"),
    ('{"id": ' + "9" * 5000 + ', "schema": "Person"}', "invalid JSON: unreadable JSON value"),
], ids=["schema-list", "schema-object", "deep", "big-int"])
def test_ftm_line_that_raised_is_that_lines_error(line: str, expected: str) -> None:
    parsed = read_ftm([line, GOOD])
    [error] = parsed.errors
    assert error.line == 1 and expected in error.message
    assert [e.id for e in parsed.entities] == ["ktk-ok"]


def test_csv_cell_over_the_csv_modules_limit_is_that_lines_error() -> None:
    text = ("id,schema,name\nktk-a,Person," + "x" * 200_000 + "\nktk-b,Person,Hashim Thaci\n")
    parsed = read_csv(text)
    [error] = parsed.errors
    assert error.line == 2 and error.message.startswith("a cell longer than")
    assert [e.id for e in parsed.entities] == ["ktk-b"]


def test_registry_bytes_that_are_not_utf8_are_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        read_registry_bytes(Path("r.csv"), b"id,schema,name\n\xff\xfe,Person,x\n")
