"""``kartoteka catalog``, ``catalog import`` and ``related`` from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "tests" / "data" / "catalog" / "import_quirks.txt"
SAMPLE = ROOT / "kartoteka" / "sample_data"

Run = Callable[..., Any]


@pytest.mark.parametrize("command", [["catalog"], ["catalog", "import"], ["related"]])
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and "--json" in result.output


def test_import_then_every_format(run: Run, tmp_path: Path) -> None:
    imported = run("catalog", "import", str(QUIRKS), "--json")
    # two lines cannot be read: reported, the rest stored, exit 1
    assert imported.exit_code == 1
    report = json.loads(imported.stdout)
    assert [e["line"] for e in report["errors"]] == [7, 9]
    assert report["articles"]["added"] == 6

    as_json = json.loads(run("catalog", "--format", "json").stdout)
    assert [c["code"] for c in as_json["countries"]] == ["xk", "mx", "rs"]
    markdown = run("catalog").stdout
    assert "🇽🇰" in markdown and "[Kosovo Liberation Army](https://example.org/kla)" in markdown
    html = run("catalog", "--format", "html", "--country", "rs").stdout
    assert "Arkan" in html and "Los Zetas" not in html
    messages = json.loads(run("catalog", "--format", "telegram", "--json").stdout)
    assert messages and all(set(m) == {"text"} for m in messages)
    assert "Sinaloa Cartel" in "".join(m["text"] for m in messages)
    out = tmp_path / "catalog.md"
    assert run("catalog", "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == markdown

    again = json.loads(run("catalog", "import", str(QUIRKS), "--json").stdout)
    assert again["articles"]["added"] == 0 and again["articles"]["unchanged"] == 7


def test_bad_input_is_a_clean_error(run: Run, tmp_path: Path) -> None:
    missing = run("catalog", "import", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("no catalog here\n", encoding="utf-8")
    nothing = run("catalog", "import", str(empty))
    assert nothing.exit_code == 2 and "no catalog entries found" in nothing.stderr
    assert run("catalog", "--format", "pdf").exit_code == 2
    assert run("catalog", "--country", "serbia").exit_code == 2
    unknown = run("related", "nope")
    assert unknown.exit_code == 2 and "no article with id 'nope'" in unknown.stderr


def test_related_json(run: Run) -> None:
    assert run("registry", "import", str(SAMPLE / "registry.ftm.jsonl")).exit_code == 0
    assert run("ingest", str(SAMPLE / "articles"), "--format", "markdown",
               "--no-extract").exit_code == 0
    assert run("catalog", "import", str(SAMPLE / "catalog.md")).exit_code == 0
    catalog = json.loads(run("catalog", "--format", "json", "--country", "xk").stdout)
    thaci = next(e for e in catalog["countries"][0]["entries"] if e["title"] == "Hashim Thaçi")
    english, russian = thaci["article_ids"]

    result = run("related", english, "--json", "--limit", "3")

    found = json.loads(result.stdout)
    assert 1 <= len(found) <= 3
    assert all(set(item) == {"id", "title", "score", "reasons", "text_overlap"} for item in found)
    assert found[0]["id"] == russian  # the same person in Russian, by another author
    assert "shares: Hashim Thaçi" in found[0]["reasons"]
