"""``build_catalog(since=...)``: what was added since the last catalog post."""

from __future__ import annotations

from datetime import UTC, datetime

from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.model import ArticleDraft
from kartoteka.services.catalog import build_catalog
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from tests.services.test_catalog import KLA, add_entities, link

MAY = datetime(2024, 5, 1, tzinfo=UTC)
JUNE = datetime(2024, 6, 1, tzinfo=UTC)


def stored_on(db: Database, day: datetime, key: str, title: str, countries: list[str]) -> str:
    draft = ArticleDraft(title=title, body=f"Text of {title}.", source=key, source_key=key,
                         language="en", countries=countries,
                         published_at=datetime(2020, 1, 1, tzinfo=UTC))
    article_id, _ = IngestService(db, clock=lambda: day).store(draft)
    return article_id


def test_only_articles_added_since_the_date_are_listed(db: Database) -> None:
    add_entities(db, KLA)
    old_kla = stored_on(db, MAY, "k1", "The KLA in 1998", ["xk"])
    new_kla = stored_on(db, JUNE, "k2", "The KLA disbanded", ["xk"])
    stored_on(db, MAY, "m1", "Old Mexican notes", ["mx"])
    new_loose = stored_on(db, JUNE, "m2", "New Mexican notes", ["mx"])
    link(db, old_kla, KLA.id)
    link(db, new_kla, KLA.id)

    update = build_catalog(db, since=datetime(2024, 5, 15, tzinfo=UTC)).as_dict()
    entries = {c["code"]: c["entries"] for c in update["countries"]}
    # An old publication date does not matter: what counts is when it was added.
    assert [e["article_ids"] for e in entries["xk"]] == [[new_kla]]
    assert [e["title"] for e in entries["mx"]] == ["New Mexican notes"]
    assert entries["mx"][0]["article_ids"] == [new_loose]
    everything = build_catalog(db).as_dict()
    assert sum(len(c["entries"]) for c in everything["countries"]) == 4  # kla (xk, rs) + 2
    assert build_catalog(db, since=datetime(2024, 7, 1, tzinfo=UTC)).countries == []


def test_cli_since(db: Database, database_url: str) -> None:
    stored_on(db, MAY, "a", "Before the post", ["rs"])
    stored_on(db, JUNE, "b", "After the post", ["rs"])
    runner = CliRunner()
    out = runner.invoke(app, ["catalog", "--since", "2024-05-20", "--db", database_url])
    assert out.exit_code == 0, out.output
    assert "After the post" in out.stdout and "Before the post" not in out.stdout
    bad = runner.invoke(app, ["catalog", "--since", "last week", "--db", database_url])
    assert bad.exit_code != 0 and "--since expects a date" in bad.output
    empty = runner.invoke(app, ["catalog", "--since", "2030-01-01", "--db", database_url])
    assert empty.exit_code == 0 and "nothing added since 2030-01-01" in empty.output
