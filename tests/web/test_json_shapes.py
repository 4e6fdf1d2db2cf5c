"""The JSON the CLI, the API and the export give today, pinned to the byte.

Other work (scripts, the API's users, ``ingest --format jsonl``) reads these
shapes, so a refactor of how they are made must not change one key name,
type or date format.  The expected output of each backend is stored under
``tests/data/json_shapes``; what differs between runs (paths, article ids
that hash a path) is replaced by stable labels before comparing, and a
score by its type.  After a
deliberate change of a shape, ``KARTOTEKA_UPDATE_SHAPES=1`` rewrites the
files: review their diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database

from .conftest import WebData

SHAPES = Path(__file__).resolve().parents[1] / "data" / "json_shapes"
REPO = Path(__file__).resolve().parents[2]
SCORES = ("score", "text_overlap")


def _labels(db: Database, tmp_path: Path) -> dict[str, str]:
    """Strings that differ between runs, longest first, and what stands for them."""
    with db.read() as conn:
        found = ArticleRepository(conn).iter_all(ArticleFilter(include_reposts=True))
        subs = {a.id: f"<article {a.title}>" for a in found}
    subs[str(tmp_path)] = "<tmp>"
    subs[str(REPO)] = "<repo>"
    return dict(sorted(subs.items(), key=lambda kv: -len(kv[0])))


def _normalise(value: Any, subs: dict[str, str]) -> Any:
    if isinstance(value, dict):
        # A ranking's scores are its own business (tuning changes them); their type is pinned.
        return {_normalise(k, subs): _float(v) if k in SCORES else _normalise(v, subs)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v, subs) for v in value]
    if isinstance(value, str):
        for old, new in subs.items():
            value = value.replace(old, new)
    return value


def _float(value: Any) -> str:
    return f"<{type(value).__name__}>"


def _outputs(db: Database, url: str, client: TestClient, data: WebData) -> dict[str, Any]:
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(app, ["--db", url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    def api(path: str, **params: Any) -> Any:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    shown = {"kla": data.kla, "revised": data.revised, "original": data.original,
             "repost": data.repost}
    out: dict[str, Any] = {}
    for name, article_id in shown.items():
        out[f"cli show {name}"] = json.loads(cli("show", article_id, "--json"))
        out[f"api article {name}"] = api(f"/api/v1/articles/{article_id}")
    for query in ("Kosovo", "Thaçi", "the"):
        out[f"cli search {query}"] = json.loads(cli("search", query, "--json"))
        out[f"api search {query}"] = api("/api/v1/search", q=query)
    out["cli export jsonl"] = [json.loads(line) for line in cli("export", "articles").splitlines()]
    out["cli export csv"] = cli("export", "articles", "--format", "csv").splitlines()
    out["api articles"] = api("/api/v1/articles", limit=100)
    out["api entities"] = api("/api/v1/entities")
    out["api entity thaci"] = api("/api/v1/entities/thaci")
    out["api entity kla"] = api("/api/v1/entities/kla")
    out["cli entities"] = json.loads(cli("entities", "--json"))
    for entity_id in ("thaci", "kla"):
        out[f"cli entity {entity_id}"] = json.loads(cli("entity", entity_id, "--json"))
    out["cli related kla"] = json.loads(cli("related", data.kla, "--json"))
    out["api related kla"] = api(f"/api/v1/articles/{data.kla}/related")
    out["cli match"] = json.loads(cli("match", "Hashim Thaci", "--json"))
    out["api match"] = api("/api/v1/match", name="Hashim Thaci")
    out["api authors"] = api("/api/v1/authors")
    return out


def test_json_output_is_what_it_was(db: Database, database_url: str, linked_client: TestClient,
                                    linked_data: WebData, tmp_path: Path) -> None:
    got = _normalise(_outputs(db, database_url, linked_client, linked_data),
                     _labels(db, tmp_path))
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    expected_file = SHAPES / f"{backend}.json"
    if os.environ.get("KARTOTEKA_UPDATE_SHAPES"):
        SHAPES.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    expected = json.loads(expected_file.read_text("utf-8"))
    assert sorted(got) == sorted(expected)
    for key in expected:
        # Compared as sorted JSON text: 1 and 1.0, or true and 1, differ there.
        assert _text(got[key]) == _text(expected[key]), key


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
