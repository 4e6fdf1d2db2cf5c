"""``kartoteka authors`` and ``authors merge``: the CLI's count is the site's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.ingest import IngestService
from kartoteka.services.overview import overview
from kartoteka.store.database import Database


def _fill(database_url: str) -> None:
    db = Database(database_url)
    try:
        ingest = IngestService(db)
        for n, author in enumerate(
            [Author("Sahel Monitor Desk", "Sahel Monitor Desk", AuthorKind.PERSON),
             Author("@sahel_monitor", "Sahel Monitor", AuthorKind.CHANNEL),
             Author("@sahel_monitor", "Sahel Monitor", AuthorKind.CHANNEL)],
            start=1,
        ):
            ingest.store(ArticleDraft(
                title=f"Dispatch {n}", body=f"Dispatch {n} from Menaka.", language="en",
                source=f"https://example.org/d/{n}", author=author,
                published_at=datetime(2024, 2, n, tzinfo=UTC)))
    finally:
        db.dispose()


def _site_count(database_url: str) -> int:
    db = Database(database_url)
    try:
        return overview(db).authors
    finally:
        db.dispose()


def test_list_merge_and_counts_agree(run: Any, database_url: str) -> None:
    _fill(database_url)
    listed = json.loads(run("authors", "--json").stdout)
    assert [(a["handle"], a["articles"]) for a in listed] == [
        ("@sahel_monitor", 2), ("Sahel Monitor Desk", 1)]
    assert _site_count(database_url) == 2

    dry = run("authors", "merge", "Sahel Monitor Desk", "@sahel_monitor", "--dry-run")
    assert dry.exit_code == 0
    assert "would merge Sahel Monitor Desk into @sahel_monitor: 1 article(s)" in dry.stdout
    assert len(json.loads(run("authors", "--json").stdout)) == 2

    desk_id = str(next(a["id"] for a in listed if a["handle"] == "Sahel Monitor Desk"))
    merged = run("authors", "merge", desk_id, "sahel_monitor", "--json")
    assert merged.exit_code == 0, merged.stderr
    assert json.loads(merged.stdout)["articles"] == 1
    text = run("authors").stdout
    assert text.startswith("1 author(s)\n")
    assert "@sahel_monitor  Sahel Monitor  3 article(s)  (also: Sahel Monitor Desk)" in text
    assert _site_count(database_url) == 1


def test_merge_errors_are_one_line(run: Any, database_url: str) -> None:
    _fill(database_url)
    missing = run("authors", "merge", "@nobody", "@sahel_monitor")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "error: no author or channel with handle or id '@nobody'"
    same = run("authors", "merge", "@sahel_monitor", "sahel_monitor")
    assert same.exit_code == 2 and "same author" in same.stderr
