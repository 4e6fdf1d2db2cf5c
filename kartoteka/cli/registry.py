"""CLI commands over the entity registry: ``compare`` (``registry ...`` and ``match`` follow)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kartoteka.cli.common import JsonOption, fail, print_json
from kartoteka.link.matcher import DEFAULT_THRESHOLD, SCHEMATA, compare_names

SchemaOption = Annotated[
    str | None,
    typer.Option("--schema", help="Person or Organization; decides which name rules apply."),
]


def _pair(name1: str, name2: str, schema: str | None) -> dict[str, object]:
    score = compare_names(name1, name2, schema)
    return {"name1": name1, "name2": name2, "score": score, "same": score >= DEFAULT_THRESHOLD}


def _show(pair: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(pair)
    else:
        verdict = "same" if pair["same"] else "different"
        typer.echo(f"{pair['score']:.4f}  {verdict:<9}  {pair['name1']}  ~  {pair['name2']}")


def _check_schema(schema: str | None, where: str) -> str | None:
    if schema and schema not in SCHEMATA:
        return f"{where}: unknown schema {schema!r}; use one of {', '.join(sorted(SCHEMATA))}"
    return None


def _read_pairs(path: Path) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    """Pairs from a TSV file, and one message per line that is not a pair."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")
    pairs: list[tuple[str, str, str | None]] = []
    errors: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if number == 1 and [f.strip().lower() for f in fields[:2]] == ["name1", "name2"]:
            continue
        where = f"{path}:{number}"
        if len(fields) not in (2, 3) or not fields[0].strip() or not fields[1].strip():
            errors.append(f"{where}: expected name1<TAB>name2[<TAB>schema], "
                          f"got {len(fields)} field(s); fix or remove the line")
            continue
        schema = fields[2].strip() or None if len(fields) == 3 else None
        problem = _check_schema(schema, where)
        if problem:
            errors.append(problem)
            continue
        pairs.append((fields[0].strip(), fields[1].strip(), schema))
    return pairs, errors


def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.", show_default=False)] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.", show_default=False)] = None,
    schema: SchemaOption = None,
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="TSV file of name1<TAB>name2[<TAB>schema] lines.",
                     show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score whether two names denote the same entity (0..1).

    Names may be in any script or romanisation ("Хашим Тачи" / "Hashim Thaçi").
    "same" is the decision at the default linking threshold. With --json each
    pair prints one line: {"name1", "name2", "score", "same"}.

    Examples:

        kartoteka compare "Huras ad-Din" "Hurras al-Din"

        kartoteka compare --pairs pairs.tsv --json
    """
    if pairs is not None:
        if name1 is not None or name2 is not None:
            fail("give either NAME1 NAME2 or --pairs FILE, not both")
        found, errors = _read_pairs(pairs)
        for name_a, name_b, pair_schema in found:
            _show(_pair(name_a, name_b, pair_schema), as_json)
        for error in errors:
            typer.echo(f"error: {error}", err=True)
        if errors:
            raise typer.Exit(1)
        return
    if name1 is None or name2 is None:
        fail("give two names (NAME1 NAME2) or --pairs FILE; see --help")
    problem = _check_schema(schema, "--schema")
    if problem:
        fail(problem)
    _show(_pair(name1, name2, schema), as_json)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("compare")(compare)
