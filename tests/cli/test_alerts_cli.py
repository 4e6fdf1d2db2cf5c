"""``kartoteka alerts list|run``: matching, the e-mail digest through a local SMTP server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.services.alerts import AlertService
from kartoteka.store.database import Database
from tests.services.alert_support import add_user, store
from tests.services.test_alert_delivery import Inbox, smtp_server

runner = CliRunner()


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    controller, port = smtp_server(handler)
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "TLS": "none",
                        "FROM": "alerts@example.org"}.items():
        monkeypatch.setenv(f"KARTOTEKA_SMTP_{name}", value)
    monkeypatch.setenv("KARTOTEKA_BASE_URL", "https://k.example.org")
    try:
        yield handler
    finally:
        controller.stop()


def test_run_matches_and_mails_once_and_list_shows_it(
    db: Database, database_url: str, inbox: Inbox
) -> None:
    alice = add_user(db, "alice@example.org")
    service = AlertService(db)
    service.set_frequency(alice, service.follow(alice, "country", "ml").pk, "immediate")
    article = store(db, "Mali convoy", "A convoy crossed near Menaka.", key="m",
                    countries=["ml"])
    first = runner.invoke(app, ["--db", database_url, "alerts", "run", "--json"])
    assert first.exit_code == 0, first.output
    result = json.loads(first.stdout)
    assert result["matched"]["alerts"] == 1 and result["email"]["messages"] == 1
    [message] = inbox.messages
    assert f"https://k.example.org/articles/{article}" in message.get_payload()
    again = runner.invoke(app, ["--db", database_url, "alerts", "run"])
    assert again.exit_code == 0 and "e-mail: 0 digest(s)" in again.stdout
    assert len(inbox.messages) == 1
    listed = runner.invoke(app, ["--db", database_url, "alerts", "list", "--json"])
    [row] = json.loads(listed.stdout)
    assert (row["user"], row["kind"], row["key"], row["unread"]) == (
        "alice@example.org", "country", "ml", 1)
    text = runner.invoke(app, ["--db", database_url, "alerts", "list", "--user", "bob@x.org"])
    assert "0 watchlist(s)" in text.stdout


def test_a_failed_delivery_exits_1(db: Database, database_url: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    alice = add_user(db, "alice@example.org")
    service = AlertService(db)
    service.set_frequency(alice, service.follow(alice, "country", "ml").pk, "immediate")
    store(db, "Mali convoy", "A convoy crossed near Menaka.", key="m", countries=["ml"])
    monkeypatch.setenv("KARTOTEKA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KARTOTEKA_SMTP_PORT", "1")
    monkeypatch.setenv("KARTOTEKA_SMTP_TLS", "none")
    result = runner.invoke(app, ["--db", database_url, "alerts", "run"])
    assert result.exit_code == 1
    assert "error: alice@example.org:" in result.stderr
    monkeypatch.setenv("KARTOTEKA_SMTP_TLS", "sometimes")
    bad = runner.invoke(app, ["--db", database_url, "alerts", "run"])
    assert bad.exit_code == 2 and "KARTOTEKA_SMTP_TLS" in bad.stderr
