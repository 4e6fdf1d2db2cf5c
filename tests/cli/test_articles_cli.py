from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.services.extraction import ExtractionService
from kartoteka.store.database import Database

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for command in (["init"], ["ingest"], ["search"], ["show"], ["export", "articles"], ["demo"]):
        code, out, _ = run(*command, "--help")
        assert code == 0, command
        assert ("Usage" in out and "--db" in out) or command == ["demo"]


def test_init_then_ingest_json_and_exit_code(
    database_url: str, corpus_dir: Path, tmp_path: Path
) -> None:
    code, out, _ = run("init", "--db", database_url)
    assert code == 0 and "database ready" in out
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02")
    code, out, _ = run("ingest", str(corpus_dir), str(broken), "--json", "--db", database_url)
    assert code == 1
    report = json.loads(out)
    assert {k: report[k] for k in ("added", "revised", "unchanged", "failed")} == {
        "added": 7,
        "revised": 0,
        "unchanged": 0,
        "failed": 1,
    }
    assert report["errors"] == [{"path": str(broken), "error": "binary content, not text"}]
    code, out, _ = run("ingest", str(corpus_dir), "--json", "--db", database_url)
    assert code == 0 and json.loads(out)["unchanged"] == 7


def test_global_db_option_and_text_output(database_url: str, corpus_dir: Path) -> None:
    code, out, _ = run("--db", database_url, "ingest", str(corpus_dir / "vucic.md"))
    assert code == 0
    assert "added 1" in out


def test_search_json_shape_and_show(database_url: str, corpus_dir: Path) -> None:
    run("ingest", str(corpus_dir), "--db", database_url)
    code, out, _ = run("search", "Vucic", "--json", "--db", database_url)
    assert code == 0
    found = json.loads(out)
    assert set(found) == {
        "query", "total", "limit", "offset", "hits", "widened_by", "message",
        "total_is_exact"
    }
    assert (found["total"], found["widened_by"], found["message"]) == (1, [], None)
    hits = found["hits"]
    assert [set(h) for h in hits] == [{"id", "title", "author", "published_at", "score", "snippet"}]
    assert hits[0]["author"] == "@balkan_test"
    assert hits[0]["published_at"].startswith("2022-01-20")
    code, out, _ = run(
        "search", "Косово", "--country", "xk", "--lang", "ru", "--json", "--db", database_url
    )
    assert [h["title"] for h in json.loads(out)["hits"]] == ["Косово и сербская история"]
    code, out, _ = run(
        "search",
        "kosovo",
        "--since",
        "2022-01-01",
        "--until",
        "2022-01-20",
        "--json",
        "--db",
        database_url,
    )
    assert [h["title"] for h in json.loads(out)["hits"]] == ["Belgrade talks"]
    code, out, _ = run("show", hits[0]["id"], "--json", "--db", database_url)
    assert code == 0
    shown = json.loads(out)
    assert shown["title"] == "Belgrade talks" and shown["revisions"] == 1
    assert shown["countries"] == ["rs"] and shown["original_id"] is None
    assert shown["reposts"] == []


def test_bad_arguments_give_clean_errors(database_url: str) -> None:
    code, _, err = run("show", "nope", "--db", database_url)
    assert code == 2 and "no article with id 'nope'" in err
    code, _, err = run("search", "x", "--since", "yesterday", "--db", database_url)
    assert code == 2 and "--since expects a date" in err
    code, _, err = run("ingest", "x", "--format", "epub", "--db", database_url)
    assert code == 2 and "unknown format" in err


def test_export_jsonl_and_csv(database_url: str, corpus_dir: Path, tmp_path: Path) -> None:
    run("ingest", str(corpus_dir), "--db", database_url)
    out_file = tmp_path / "articles.jsonl"
    code, _, _ = run("export", "articles", "--output", str(out_file), "--db", database_url)
    assert code == 0
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 7
    required = {
        "id",
        "title",
        "body",
        "language",
        "author",
        "source",
        "published_at",
        "countries",
        "hashtags",
        "links",
    }
    assert all(required <= set(r) for r in records)
    code, out, _ = run("export", "articles", "--format", "csv", "--db", database_url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7
    assert {r["title"] for r in rows} == {r["title"] for r in records}


def test_jsonl_export_then_import_round_trips(
    database_url: str, corpus_dir: Path, tmp_path: Path, data_dir: Path
) -> None:
    telegram = data_dir / "ingest" / "telegram" / "single_channel.json"
    run("ingest", str(corpus_dir), "--db", database_url)
    run("ingest", str(telegram), "--channel-username", "example_channel", "--db", database_url)
    exported = tmp_path / "first.jsonl"
    run("export", "articles", "--output", str(exported), "--db", database_url)
    second_db = f"sqlite:///{tmp_path / 'second.db'}"
    code, out, _ = run("ingest", str(exported), "--format", "jsonl", "--json", "--db", second_db)
    assert code == 0, out
    again = tmp_path / "second.jsonl"
    run("export", "articles", "--output", str(again), "--db", second_db)

    def records(path: Path) -> dict[str, dict[str, object]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return {r["id"]: r for r in map(json.loads, lines)}

    first, second = records(exported), records(again)
    assert len(first) > 7
    assert first == second


def test_show_lists_the_linked_entities_as_the_export_does(
    database_url: str, data_dir: Path
) -> None:
    registry = str(data_dir / "registry" / "registry.ftm.jsonl")
    run("--db", database_url, "registry", "import", registry)
    run("ingest", str(data_dir / "corpus" / "kla.md"), "--db", database_url)
    exported = json.loads(run("export", "articles", "--db", database_url)[1])
    article_id = exported["id"]
    code, out, _ = run("show", article_id, "--json", "--db", database_url)
    assert code == 0
    shown = json.loads(out)["entities"]
    exported = exported["entities"]
    # The same entities and counts; shown in the page's order (subject first, by name).
    assert sorted((e["id"], e["mentions"]) for e in shown) == sorted(
        (e["id"], e["mentions"]) for e in exported
    )
    assert "Kosovo Liberation Army" in [e["name"] for e in shown]
    code, out, _ = run("show", article_id, "--db", database_url)
    assert "entity: Kosovo Liberation Army (kla, " in out


def test_a_failed_url_is_named_once(database_url: str) -> None:
    import socket

    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/page"
    code, _, err = run("ingest", url, "--db", database_url)
    assert code == 1
    [line] = [x for x in err.splitlines() if "failed:" in x]
    assert line.count(url) == 1 and "cannot be fetched" in line
def test_search_json_says_what_widened_it_and_bad_input_is_a_message(
    database_url: str, corpus_dir: Path, data_dir: Path
) -> None:
    run("ingest", str(corpus_dir), "--no-extract", "--db", database_url)
    run("registry", "import", str(data_dir / "registry" / "registry.ftm.jsonl"),
        "--db", database_url)
    db = Database(database_url)
    ExtractionService(db, ner=False).extract_all()
    db.dispose()
    code, out, _ = run("search", "Тачи", "--json", "--db", database_url)
    found = json.loads(out)
    assert code == 0
    assert found["widened_by"] == [{"id": "thaci", "name": "Hashim Thaçi", "kind": "entity"}]
    assert [h["title"] for h in found["hits"]] == ["The Kosovo Liberation Army after 1999"]
    code, out, _ = run("search", "Тачи", "--no-widen", "--json", "--db", database_url)
    assert (json.loads(out)["hits"], json.loads(out)["widened_by"]) == ([], [])
    code, out, _ = run("search", "Тачи", "--db", database_url)
    assert "also finding articles about Hashim Thaçi (entity)" in out
    for query, says in [("the of", "Only common words"), ("?!", "Nothing to search for"),
                        ("война " * 2000, "characters long")]:
        code, out, err = run("search", query, "--db", database_url)
        assert code == 0 and says in " ".join(out.split()) and not err, query
        code, out, _ = run("search", query, "--json", "--db", database_url)
        assert says in json.loads(out)["message"]
