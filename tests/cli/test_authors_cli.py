"""``kartoteka authors`` and ``authors merge``: the CLI's count is the site's."""

from __future__ import annotations

import json
from typing import Any

from kartoteka.services.overview import overview
from kartoteka.store.database import Database
from tests.conftest import TwoAuthors


def test_list_merge_and_counts_agree(run: Any, db: Database, two_authors: TwoAuthors) -> None:
    listed = json.loads(run("authors", "--json").stdout)
    assert [(a["handle"], a["articles"]) for a in listed] == [
        ("@sahel_monitor", 1), ("@sahel_old", 2)]
    assert overview(db).authors == 2

    dry = run("authors", "merge", "@sahel_old", "@sahel_monitor", "--dry-run")
    assert dry.exit_code == 0
    assert "would merge @sahel_old into @sahel_monitor: 2 article(s)" in dry.stdout
    assert len(json.loads(run("authors", "--json").stdout)) == 2

    old_id = str(next(a["id"] for a in listed if a["handle"] == two_authors.old.handle))
    merged = run("authors", "merge", old_id, "sahel_monitor", "--json")
    assert merged.exit_code == 0, merged.stderr
    assert json.loads(merged.stdout)["articles"] == 2
    text = run("authors").stdout
    assert text.startswith("1 author(s)\n")
    assert ("@sahel_monitor  Sahel Monitor  3 article(s)  "
            "(also: @sahel_old, Sahel Monitor (old))") in text
    assert overview(db).authors == 1


def test_merge_errors_are_one_line(run: Any, two_authors: TwoAuthors) -> None:
    missing = run("authors", "merge", "@nobody", "@sahel_monitor")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "error: no author or channel with handle or id '@nobody'"
    same = run("authors", "merge", "@sahel_monitor", "sahel_monitor")
    assert same.exit_code == 2 and "same author" in same.stderr
