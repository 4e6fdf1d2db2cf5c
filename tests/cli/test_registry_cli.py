from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model as ftm_model
from typer.testing import CliRunner

from kartoteka.cli import app

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry"
Run = Callable[..., Any]


def test_import_prints_counts_and_exits_0(run: Run) -> None:
    result = run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    assert result.exit_code == 0, result.output
    assert "entities: added 8, updated 0, unchanged 0" in result.stdout
    assert "relations: added 3, updated 0, unchanged 0" in result.stdout
    assert "errors: 0" in result.stdout


def test_import_of_a_bad_file_names_lines_and_exits_1(run: Run) -> None:
    result = run("registry", "import", str(REGISTRY / "bad.csv"), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["entities"]["added"] == 2
    assert [e["line"] for e in report["errors"]] == [3, 4, 5, 6, 7, 8]
    assert report["errors"][1] == {
        "line": 4,
        "id": "bad-schema",
        "error": report["errors"][1]["error"],
    }
    plain = run("registry", "import", str(REGISTRY / "bad.ftm.jsonl"))
    assert plain.exit_code == 1
    assert "bad.ftm.jsonl: line 6 (m-ghost): Membership points at unknown entity 'ghost'" in (
        plain.stderr
    )


def test_import_of_a_missing_file_is_a_clean_error(run: Run, tmp_path: Path) -> None:
    result = run("registry", "import", str(tmp_path / "none.csv"))
    assert result.exit_code == 2
    assert "error:" in result.stderr and "no such file" in result.stderr


def test_export_formats_load_and_reimport(run: Run, tmp_path: Path) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    out = tmp_path / "out.ftm.jsonl"
    result = run("registry", "export", "--format", "ftm", "--output", str(out))
    assert result.exit_code == 0 and "wrote 11 record(s)" in result.stderr
    for line in out.read_text(encoding="utf-8").splitlines():
        assert ftm_model.get_proxy(json.loads(line), cleaned=False).id
    csv_out = run("registry", "export", "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == "id,schema,name,aliases,countries,topics"
    assert len(csv_out.stdout.splitlines()) == 9
    again = run("registry", "import", str(out), "--json")
    assert json.loads(again.stdout)["entities"]["unchanged"] == 8
    bad = run("registry", "export", "--format", "xml")
    assert bad.exit_code == 2 and "unknown export format 'xml'" in bad.stderr


def test_an_active_period_imports_shows_and_exports(run: Run, tmp_path: Path) -> None:
    registry = tmp_path / "dated.ftm.jsonl"
    registry.write_text(json.dumps({"id": "ansar", "schema": "Organization", "properties": {
        "name": ["Ansar al-Islam"], "incorporationDate": ["2001-12"],
        "dissolutionDate": ["2014"]}}) + "\n", encoding="utf-8")
    assert run("registry", "import", str(registry)).exit_code == 0
    shown = json.loads(run("registry", "show", "ansar", "--json").stdout)
    assert (shown["start_date"], shown["end_date"]) == ("2001-12", "2014")
    exported = [json.loads(line) for line in run("registry", "export", "--format", "ftm")
                .stdout.splitlines() if line.strip()]
    assert exported[0]["properties"]["dissolutionDate"] == ["2014"]


def test_merge_alias_unmerge_and_show(run: Run) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    merged = run("registry", "merge", "kla", "kpc", "--by", "ed@example.org")
    assert merged.exit_code == 0 and merged.stdout.startswith("merged kpc into kla")
    shown = json.loads(run("registry", "show", "kpc", "--json").stdout)
    assert shown["id"] == "kla" and shown["merged_ids"] == ["kpc"]
    assert "Kosovo Protection Corps" in [n["value"] for n in shown["names"]]
    assert shown["judgements"][0]["created_by"] == "ed@example.org"
    again = run("registry", "merge", "thaci", "kpc")
    assert again.exit_code == 2 and "already merged into 'kla'" in again.stderr
    alias = run("registry", "alias", "kla", "ОАК")
    assert alias.exit_code == 0 and "ОАК" in alias.stdout
    removed = run("registry", "alias", "kla", "KLA", "--remove")
    assert removed.exit_code == 0 and "KLA," not in removed.stdout
    unmerged = run("registry", "unmerge", "kpc")
    assert unmerged.exit_code == 0 and "unmerged kpc from kla" in unmerged.stdout
    assert json.loads(run("registry", "show", "kpc", "--json").stdout)["id"] == "kpc"
    missing = run("registry", "show", "nobody")
    assert missing.exit_code == 2 and "no entity with id 'nobody'" in missing.stderr


def test_relation_add_by_an_editor(run: Run) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    result = run("registry", "relation", "add", "vucic", "thaci", "--role", "rival",
                 "--start", "2008", "--json")
    assert result.exit_code == 0, result.output
    relation = json.loads(result.stdout)
    assert relation["schema"] == "Associate" and relation["editor_asserted"] is True
    cited = run("registry", "relation", "add", "thaci", "kpc", "--role", "commander",
                "--cite", "https://example.org/a", "--cite", "https://example.org/b")
    assert cited.exit_code == 0 and "2 citation(s)" in cited.stdout
    shown = run("registry", "show", "kpc")
    assert "Membership thaci -[commander]-> kpc  cited: https://example.org/a" in shown.stdout
    bad = run("registry", "relation", "add", "thaci", "kpc", "--role", "member",
              "--cite", "not-an-article")
    assert bad.exit_code == 2 and "neither a stored article" in bad.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["import"], ["export"], ["merge"], ["unmerge"], ["alias"], ["show"],
     ["relation"], ["relation", "add"]],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, ["registry", *command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_match_prints_one_exact_json_line_per_name(run: Run, tmp_path: Path) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    names = tmp_path / "names.txt"
    names.write_text("Хайят Тахрир аш-Шам\n\nWagner College\n", encoding="utf-8")
    result = run("match", "Hashim Thaci", "--input", str(names), "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["query"] for x in lines] == [
        "Hashim Thaci", "Хайят Тахрир аш-Шам", "Wagner College"
    ]
    first = lines[0]
    assert list(first) == ["query", "best", "candidates"]
    assert list(first["best"]) == ["id", "name", "schema", "score"]
    assert first["best"]["id"] == "thaci" and first["best"]["name"] == "Hashim Thaçi"
    assert list(first["candidates"][0]) == ["id", "name", "schema", "score", "matched_name"]
    assert lines[1]["best"]["id"] == "hts"
    assert lines[2]["best"] is None
    assert all(len(x["candidates"]) <= 3 for x in lines)
    people = run("match", "Hashim Thaci", "--schema", "Organization", "--json")
    assert json.loads(people.stdout)["best"] is None
    bad = run("match", "x", "--schema", "Ship")
    assert bad.exit_code == 2 and "unknown schema 'Ship'" in bad.stderr
    empty = run("match")
    assert empty.exit_code == 2 and "give one or more names" in empty.stderr


def test_match_input_reports_bad_lines_and_answers_the_rest(run: Run, tmp_path: Path) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    names = tmp_path / "names.txt"
    names.write_text("\n".join(["Hashim Thaci", "?!?", "x" * 10_000, "Хашим Thaci",
                                 "Wagner College"]) + "\n", encoding="utf-8")
    result = run("match", "--input", str(names), "--json")
    assert result.exit_code == 1
    answered = [json.loads(x)["query"] for x in result.stdout.splitlines()]
    assert answered == ["Hashim Thaci", "Хашим Thaci", "Wagner College"]  # mixed scripts too
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert "names.txt:2: '?!?' has no letters or digits" in errors[0]
    assert "names.txt:3: name of 10,000 characters" in errors[1]


def test_match_input_answers_around_a_line_that_is_not_utf8(run: Run, tmp_path: Path) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    names = tmp_path / "names.txt"
    names.write_bytes(b"Hashim Thaci\nHashim Tha\xe7i\nWagner College\n")
    result = run("match", "--input", str(names), "--json")
    assert result.exit_code == 1
    assert [json.loads(x)["query"] for x in result.stdout.splitlines()] == [
        "Hashim Thaci", "Wagner College"]
    assert result.stderr.splitlines() == [
        f"error: {names}:2: not UTF-8 text; save the file as UTF-8"]
    undecodable = run("match", "Tha\udce7i", "Wagner College", "--json")
    assert undecodable.exit_code == 1
    assert "name 1: not valid UTF-8 text" in undecodable.stderr
    assert [json.loads(x)["query"] for x in undecodable.stdout.splitlines()] == [
        "Wagner College"]


def test_compare_is_still_there() -> None:
    result = CliRunner().invoke(app, ["compare", "Hashim Thaçi", "Хашим Тачи", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["same"] is True


def test_csv_says_it_leaves_relations_out(run: Run, tmp_path: Path) -> None:
    run("registry", "import", str(REGISTRY / "registry.ftm.jsonl"))
    exported = run("registry", "export", "--format", "csv", "--output", str(tmp_path / "r.csv"))
    assert exported.exit_code == 0
    assert "note: 3 relation(s) not written" in exported.stderr
    assert "--format ftm" in exported.stderr
    assert "relation(s) not written" not in run("registry", "export", "--format", "ftm").stderr
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "id,schema,name,aliases,countries,topics\n"
        "a,Person,Al Pha,,,\nm,Membership,a leads b,,,\n",
        encoding="utf-8",
    )
    imported = run("registry", "import", str(rows))
    assert imported.exit_code == 1 and "errors: 1" in imported.stdout
    assert "line 3 (m): Membership is a relation, and the CSV holds entities only" in (
        imported.stderr
    )
    assert "FtM JSON lines" in imported.stderr
