"""CLI commands over the entity registry: ``registry ...``, ``match`` and ``compare``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    fail,
    open_database,
    open_services,
    print_json,
    user_errors,
)
from kartoteka.link.checks import name_problem
from kartoteka.link.pairwise import compare_pair
from kartoteka.model import Entity
from kartoteka.registry.files import UnreadableFile
from kartoteka.schemata import is_entity_schema, unknown_schema_message
from kartoteka.services import decisions
from kartoteka.services import registry as registry_service
from kartoteka.services.matching import MatchFailure
from kartoteka.services.registry import EntityNotFound, RegistryError

logger = logging.getLogger(__name__)

SchemaOption = Annotated[
    str | None,
    typer.Option("--schema", help="An FtM thing schema (Person, Company, Vessel, ...)."),
]


def _pair(name1: str, name2: str, schema: str | None, explain: bool) -> dict[str, object]:
    result = compare_pair(name1, name2, schema)
    pair: dict[str, object] = {"name1": name1, "name2": name2, "score": result.score,
                               "same": result.same}
    if explain:
        pair["decisive"] = [{"feature": name, "contribution": value}
                            for name, value in result.decisive()]
        pair["features"] = {k: round(v, 4) for k, v in result.features.items() if v}
    return pair


def _show(pair: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(pair)
        return
    verdict = "same" if pair["same"] else "different"
    typer.echo(f"{pair['score']:.4f}  {verdict:<9}  {pair['name1']}  ~  {pair['name2']}")
    for item in pair.get("decisive", []):  # type: ignore[attr-defined]
        typer.echo(f"    {item['contribution']:+.3f}  {item['feature']}")


def _check_schema(schema: str | None, where: str) -> str | None:
    if schema and not is_entity_schema(schema):
        return f"{where}: {unknown_schema_message(schema)}"
    return None


def _text_lines(path: Path, errors: list[str]) -> Iterator[tuple[int, str]]:
    """Numbered lines of a UTF-8 file; a line that is not UTF-8 is that line's error,
    added to ``errors`` in its turn."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark, as some editors write
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            errors.append(f"{path}:{number}: not UTF-8 text; save the file as UTF-8")
            continue
        yield number, line


def _read_pairs(path: Path) -> tuple[list[tuple[str, str, str, str | None]], list[str]]:
    """Pairs from a TSV file, and one message per line that is not a pair."""
    pairs: list[tuple[str, str, str, str | None]] = []
    errors: list[str] = []
    for number, line in _text_lines(path, errors):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if number == 1 and [f.strip().lower() for f in fields[:2]] == ["name1", "name2"]:
            continue
        where = f"{path}:{number}"
        if len(fields) not in (2, 3):
            errors.append(f"{where}: expected name1<TAB>name2[<TAB>schema], "
                          f"got {len(fields)} field(s); fix or remove the line")
            continue
        bad = next(((label, problem) for label, problem in (
            ("name1", name_problem(fields[0])), ("name2", name_problem(fields[1]))) if problem),
            None)
        if bad:
            errors.append(f"{where}: {bad[0]}: {bad[1]}")
            continue
        schema = fields[2].strip() or None if len(fields) == 3 else None
        problem = _check_schema(schema, where)
        if problem:
            errors.append(problem)
            continue
        pairs.append((where, fields[0].strip(), fields[1].strip(), schema))
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
    explain: Annotated[
        bool, typer.Option("--explain", help="Also show the features that decided each pair.")
    ] = False,
) -> None:
    """Score whether two names denote the same entity (0..1).

    Names may be in any script or romanisation ("Хашим Тачи" / "Hashim Thaçi").
    The score is the probability the pairwise model gives; "same" is its
    decision. With --json each pair prints one line: {"name1", "name2",
    "score", "same"}, and with --explain also "decisive" (the features that
    moved the score most) and "features" (every feature that is not zero).

    Examples:

        kartoteka compare "Huras ad-Din" "Hurras al-Din"

        kartoteka compare --pairs pairs.tsv --json
    """
    if pairs is not None:
        if name1 is not None or name2 is not None:
            fail("give either NAME1 NAME2 or --pairs FILE, not both")
        found, errors = _read_pairs(pairs)
        for where, name_a, name_b, pair_schema in found:
            try:
                pair = _pair(name_a, name_b, pair_schema, explain)
            except Exception as exc:  # one pair must not stop the batch; keep the traceback
                logger.exception("compare failed at %s", where)
                errors.append(f"{where}: could not compare ({type(exc).__name__}: {exc})")
                continue
            _show(pair, as_json)
        for error in errors:
            typer.echo(f"error: {error}", err=True)
        if errors:
            raise typer.Exit(1)
        return
    if name1 is None or name2 is None:
        fail("give two names (NAME1 NAME2) or --pairs FILE; see --help")
    problem = _check_schema(schema, "--schema") or next(
        (f"{label}: {found}" for label, found in (
            ("NAME1", name_problem(name1)), ("NAME2", name_problem(name2))) if found), None)
    if problem:
        fail(problem)
    _show(_pair(name1, name2, schema, explain), as_json)


registry_app = typer.Typer(
    help="The entity registry: organisations and persons, their names and relations.",
    no_args_is_help=True,
)
relation_app = typer.Typer(help="Relations between registry entities.", no_args_is_help=True)
registry_app.add_typer(relation_app, name="relation")

EditorOption = Annotated[
    str | None, typer.Option("--by", help="Who made the decision (stored with it).")
]


def _summary(entity: Entity) -> str:
    aliases = [n.value for n in entity.names if n.value != entity.name]
    return f"{entity.id} ({entity.schema}) {entity.name}" + (
        f" — aliases: {', '.join(aliases)}" if aliases else ""
    )


@registry_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="FtM entity JSON lines, or the simple CSV.")],
    fmt: Annotated[
        str, typer.Option("--format", help="auto (from the name or content), ftm or csv.")
    ] = "auto",
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import entities and relations; ids are kept.  Exits 1 if any line failed.

    CSV columns: id,schema,name,aliases,countries,topics (lists separated by ;).
    Importing the same file again changes nothing.
    """
    database = open_database(db, create=True)
    with user_errors(UnreadableFile):
        report = registry_service.import_file(database, file, fmt)
    if json_output:
        print_json(report.as_dict())
    else:
        for label, counts in (("entities", report.entities), ("relations", report.relations)):
            typer.echo(f"{label}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        typer.echo(f"errors: {report.failed}")
        for error in sorted(report.errors, key=lambda e: e.line):
            typer.echo(f"  {file}: {error}", err=True)
    if report.failed:
        raise typer.Exit(1)


@registry_app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", help="ftm (entities and relations) or csv (entities).")
    ] = "ftm",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the registry; merged entities appear once, under the id they were merged into."""
    writer = registry_service.EXPORTS.get(fmt)
    if writer is None:
        fail(f"unknown export format {fmt!r}: use ftm or csv")
    database = open_database(db)
    if output is None:
        writer(database, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = writer(database, out)
        typer.echo(f"wrote {count} record(s) to {output}", err=True)
    left_out = registry_service.relation_count(database) if fmt == "csv" else 0
    if left_out:
        typer.echo(
            f"note: {left_out} relation(s) not written: the CSV holds entities only; "
            "use --format ftm to keep them",
            err=True,
        )


@registry_app.command("merge")
def merge_command(
    keep_id: Annotated[str, typer.Argument(help="The entity that stays.")],
    other_id: Annotated[str, typer.Argument(help="The entity merged into it.")],
    by: EditorOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Merge OTHER_ID into KEEP_ID: its names and relations then belong to KEEP_ID."""
    with user_errors(EntityNotFound, RegistryError):
        entity = decisions.merge(open_database(db), keep_id, other_id, by=by)
    if json_output:
        print_json(registry_service.get_entity(open_database(db), entity.id).as_dict())
        return
    typer.echo(f"merged {other_id} into {_summary(entity)}")


@registry_app.command("unmerge")
def unmerge_command(
    other_id: Annotated[str, typer.Argument(help="The entity to split off again.")],
    by: EditorOption = None,
    db: DbOption = None,
) -> None:
    """Reverse the merge of OTHER_ID exactly."""
    with user_errors(EntityNotFound, RegistryError):
        left, restored = decisions.unmerge(open_database(db), other_id, by=by)
    typer.echo(f"unmerged {restored.id} from {left.id}")
    typer.echo(f"  {_summary(left)}")
    typer.echo(f"  {_summary(restored)}")


@registry_app.command("alias")
def alias_command(
    entity_id: Annotated[str, typer.Argument(help="Entity id (a merged id finds its cluster).")],
    name: Annotated[str, typer.Argument(help="The alias, in any script.")],
    remove: Annotated[bool, typer.Option("--remove", help="Remove the alias instead.")] = False,
    by: EditorOption = None,
    db: DbOption = None,
) -> None:
    """Add or remove an alias; the decision survives later imports."""
    change = decisions.remove_alias if remove else decisions.add_alias
    with user_errors(EntityNotFound, RegistryError):
        entity = change(open_database(db), entity_id, name, by=by)
    typer.echo(_summary(entity))


@registry_app.command("show")
def show_command(
    entity_id: Annotated[str, typer.Argument(help="Entity id.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Names, countries, topics, relations with citations, and editorial decisions."""
    with user_errors(EntityNotFound):
        detail = registry_service.get_entity(open_database(db), entity_id)
    data = detail.as_dict()
    if json_output:
        print_json(data)
        return
    typer.echo(_summary(detail.entity))
    for key in ("countries", "topics", "identifiers", "description", "merged_ids"):
        if data[key]:
            typer.echo(f"  {key}: {data[key]}")
    for relation in detail.relations:
        cites = ", ".join(c.url or c.article_id or "" for c in relation.citations)
        typer.echo(
            f"  {relation.schema} {relation.source_id} -[{relation.role}]-> {relation.target_id}"
            + (f"  cited: {cites}" if cites else "  (asserted by an editor)")
        )


@relation_app.command("add")
def relation_add_command(
    source_id: Annotated[str, typer.Argument(help="Person or organisation id.")],
    target_id: Annotated[str, typer.Argument(help="Organisation (or person) id.")],
    role: Annotated[str, typer.Option(help="member, leader, commander, allied, rival, ...")],
    start: Annotated[str | None, typer.Option(help="Start date: YYYY[-MM[-DD]].")] = None,
    end: Annotated[str | None, typer.Option(help="End date: YYYY[-MM[-DD]].")] = None,
    cite: Annotated[
        list[str] | None,
        typer.Option(help="An article id, URL or source key; repeat for more citations."),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option(help="FtM schema; default Membership (person→org) or UnknownLink."),
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Enter a relation as an editor; without --cite it is marked as editor-asserted."""
    with user_errors(EntityNotFound, RegistryError):
        relation = registry_service.add_relation(
            open_database(db), source_id, target_id, role,
            start_date=start, end_date=end, cite=cite or [], schema=schema,
        )
    if json_output:
        print_json(registry_service.relation_dict(relation))
        return
    typer.echo(
        f"{relation.id}: {relation.schema} {relation.source_id} -[{relation.role}]-> "
        f"{relation.target_id}, {len(relation.citations)} citation(s)"
        + (" (asserted by an editor)" if relation.editor_asserted else "")
    )


def _names_to_match(names: list[str] | None,
                    input_file: Path | None) -> tuple[list[str], list[str]]:
    """The names to match, and one message per name that cannot be matched."""
    found: list[str] = []
    errors: list[str] = []
    for number, name in enumerate(n for n in names or [] if n.strip()):
        problem = name_problem(name)
        if problem:
            errors.append(f"name {number + 1}: {problem}")
        else:
            found.append(name.strip())
    if input_file is not None:
        for number, line in _text_lines(input_file, errors):
            if not line.strip():
                continue
            problem = name_problem(line)
            if problem:
                errors.append(f"{input_file}:{number}: {problem}")
            else:
                found.append(line.strip())
    if not found and not errors:
        fail("give one or more names, or --input FILE with one name per line")
    return found, errors


def match(
    names: Annotated[
        list[str] | None, typer.Argument(help="Names in any script.", show_default=False)
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="A file with one name per line.", show_default=False),
    ] = None,
    schema: SchemaOption = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Candidates per name.")] = 5,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find the registry entity each name refers to.

    With --json each name prints one line: {"query", "best": {"id", "name",
    "schema", "score"} | null, "candidates": [{..., "matched_name"}]}; "best"
    is null when no candidate passes the default linking threshold.
    """
    problem = _check_schema(schema, "--schema")
    if problem:
        fail(problem)
    wanted, errors = _names_to_match(names, input_file)
    for result in open_services(db).matcher.match_names(wanted, schema, limit):
        if isinstance(result, MatchFailure):
            errors.append(f"{result.query[:40]!r}: could not match ({result.reason})")
            continue
        if json_output:
            print_json(result.as_dict())
            continue
        best = result.best
        verdict = f"{best.id} {best.name} ({best.score:.3f})" if best else "no match"
        typer.echo(f"{result.query} → {verdict}")
        for candidate in result.candidates:
            typer.echo(
                f"    {candidate.score:.3f}  {candidate.id}  {candidate.name}"
                f"  [via {candidate.matched_name}]"
            )
    for error in errors:
        typer.echo(f"error: {error}", err=True)
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(registry_app, name="registry")
    app.command("match")(match)
    app.command("compare")(compare)
