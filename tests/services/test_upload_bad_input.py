"""An upload of a hostile file is a list of item errors, never an exception (a 500)."""

from __future__ import annotations

import gzip
import json

import pytest

from kartoteka.auth.roles import Actor, Role
from kartoteka.services.review import ReviewService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database

CONTRIB = Actor("co@example.org", Role.CONTRIBUTOR, 2)


@pytest.mark.parametrize(("filename", "data", "expected"), [
    ("posts.json.gz", gzip.compress(b'{"messages": []}')[:-10], "gzip data is truncated"),
    ("deep.json", b'{"messages": ' + b"[" * 200_000 + b"]" * 200_000 + b', "type": "x", '
     b'"id": 1}', "JSON nested too deeply"),
    ("note.md", b"---\nauthor: x\nauthor_kind: organisation\n---\n# T\nText.\n",
     "'author_kind' must be one of"),
], ids=["corrupt-gz", "deep-json", "author-kind"])
def test_hostile_upload_is_reported_not_raised(db: Database, filename: str, data: bytes,
                                               expected: str) -> None:
    result = ReviewService(db, ingest=ingest_service(db)).submit_file(CONTRIB, filename, data)
    assert result.submissions == []
    [error] = result.errors
    assert expected in error.error


def test_upload_with_one_bad_record_keeps_the_good_ones(db: Database) -> None:
    lines = [json.dumps({"title": "Good", "body": "Good text."}), '{"title": 5}',
             json.dumps({"title": "Also good", "body": "More \x00text.\ud800"})]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    result = ReviewService(db, ingest=ingest_service(db)).submit_file(CONTRIB, "notes.jsonl", data)
    assert len(result.submissions) == 2
    assert [e.error for e in result.errors] == ["line 2: 'title' must be a string, not int"]
