"""``kartoteka compare`` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kartoteka.cli import app

DATA = Path(__file__).parent.parent / "data" / "link"
runner = CliRunner()


def test_two_names_json() -> None:
    result = runner.invoke(app, ["compare", "Huras ad-Din", "Hurras al-Din", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert list(found) == ["name1", "name2", "score", "same"]  # no explanation unless asked
    assert (found["name1"], found["name2"], found["same"]) == ("Huras ad-Din", "Hurras al-Din",
                                                               True)
    assert 0.9 < found["score"] <= 1.0


def test_explain_names_the_features_that_decided() -> None:
    result = runner.invoke(app, ["compare", "Salman bin Muhammad al-Rawi",
                                 "Muhammad bin Salman al-Rawi", "--json", "--explain"])
    found = json.loads(result.stdout)
    assert found["same"] is False and found["score"] < 0.2
    decisive = [item["feature"] for item in found["decisive"]]
    assert decisive[0] == "order_swap" and "patronym_swap" in found["features"]
    readable = runner.invoke(app, ["compare", "Trust 2005-AR16", "Trust 2006-AR16", "--explain"])
    assert "different" in readable.stdout and "number_conflict" in readable.stdout


def test_any_ftm_thing_schema_is_accepted() -> None:
    result = runner.invoke(app, ["compare", "Ever Given", "EVER GIVEN", "--schema", "Vessel",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["same"] is True


def test_bad_names_in_a_batch_are_reported_line_by_line(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    lines = ["Hashim Thaçi\tХашим Тачи", " \tHashim Thaci", "x" * 10_000 + "\tHashim Thaci",
             "Ансар al-Islam\tAnsar al-Islam", "?!...\tHashim Thaci",
             "Hashim Thaci\tHashim Thaci\tStarship", "Scholz\tScholze\tPerson"]
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", "--pairs", str(pairs), "--json"])
    assert result.exit_code == 1
    answered = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["name1"][:14], r["same"]) for r in answered] == [
        ("Hashim Thaçi", True), ("Ансар al-Islam", True), ("Scholz", False)]
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert "pairs.tsv:2: name1: empty name" in errors[0]
    assert "pairs.tsv:3: name1: name of 10,000 characters" in errors[1]
    assert "pairs.tsv:5: name1: '?!...' has no letters or digits" in errors[2]
    assert "pairs.tsv:6: unknown schema 'Starship'" in errors[3]


def test_two_names_readable_with_schema() -> None:
    result = runner.invoke(app, ["compare", "Wagner College", "Wagner Group",
                                 "--schema", "Organization"])
    assert result.exit_code == 0, result.output
    assert "different" in result.stdout
    assert "Wagner College" in result.stdout and "Wagner Group" in result.stdout


def test_person_schema_allows_surname_only() -> None:
    with_schema = runner.invoke(app, ["compare", "Lavrov", "Sergei Lavrov", "--schema",
                                      "Person", "--json"])
    without = runner.invoke(app, ["compare", "Lavrov", "Sergei Lavrov", "--json"])
    assert json.loads(with_schema.stdout)["same"] is True
    assert json.loads(without.stdout)["same"] is False


def test_pairs_file_json() -> None:
    result = runner.invoke(app, ["compare", "--pairs", str(DATA / "pairs.tsv"), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["name1"], r["same"]) for r in rows] == [
        ("Cartel of Los Setas", True), ("Huras ad-Din", True), ("Jamaat-e-Islami", False),
    ]
    assert all(0.0 <= r["score"] <= 1.0 for r in rows)


def test_pairs_file_reports_bad_lines_and_fails() -> None:
    result = runner.invoke(app, ["compare", "--pairs", str(DATA / "pairs_with_errors.tsv"),
                                 "--json"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4  # the good lines are still compared; the header is skipped
    assert "pairs_with_errors.tsv:5:" in result.stderr
    assert "pairs_with_errors.tsv:7:" in result.stderr and "Planet" in result.stderr
    assert ":2:" not in result.stderr


def test_usage_errors() -> None:
    assert runner.invoke(app, ["compare", "only-one"]).exit_code == 2
    both = runner.invoke(app, ["compare", "a", "b", "--pairs", str(DATA / "pairs.tsv")])
    assert both.exit_code == 2 and "not both" in both.stderr
    missing = runner.invoke(app, ["compare", "--pairs", str(DATA / "no-such.tsv")])
    assert missing.exit_code == 2 and "no-such.tsv" in missing.stderr
    bad_schema = runner.invoke(app, ["compare", "a", "b", "--schema", "Planet"])
    assert bad_schema.exit_code == 2 and "Planet" in bad_schema.stderr


def test_help_explains_the_command() -> None:
    result = runner.invoke(app, ["compare", "--help"])
    assert result.exit_code == 0
    for word in ("--pairs", "--schema", "--json", "same", "TSV"):
        assert word in result.stdout


def test_a_line_that_is_not_utf8_is_its_own_error(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_bytes("\ufeffHashim Thaçi\tХашим Тачи\r\n".encode()
                      + b"Hashim Tha\xe7i\tHashim Thaci\n"  # Latin-1, not UTF-8
                      + b"Scholz\tScholze\tPerson\n")
    result = runner.invoke(app, ["compare", "--pairs", str(pairs), "--json"])
    assert result.exit_code == 1
    answered = [json.loads(line)["name1"] for line in result.stdout.splitlines()]
    assert answered == ["Hashim Thaçi", "Scholz"]
    assert result.stderr.splitlines() == [
        f"error: {pairs}:2: not UTF-8 text; save the file as UTF-8"]


def test_a_name_with_undecodable_bytes_is_refused_clearly() -> None:
    # Python keeps command-line bytes that are not UTF-8 as lone surrogates.
    result = runner.invoke(app, ["compare", "Tha\udce7i", "Thaci"])
    assert result.exit_code == 2
    assert "NAME1: not valid UTF-8 text" in result.stderr
