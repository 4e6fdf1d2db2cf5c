"""One logging configuration: level and format from the environment or --verbose."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.logs import CHATTY_LIBRARIES, configure_logging, log_level


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    libraries = {name: logging.getLogger(name).level for name in CHATTY_LIBRARIES}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in libraries.items():
        logging.getLogger(name).setLevel(old)


def test_level_comes_from_verbose_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KARTOTEKA_LOG_LEVEL", raising=False)
    assert log_level() == logging.WARNING
    monkeypatch.setenv("KARTOTEKA_LOG_LEVEL", "info")
    assert log_level() == logging.INFO
    assert log_level(verbose=True) == logging.DEBUG
    monkeypatch.setenv("KARTOTEKA_LOG_LEVEL", "chatty")
    with pytest.raises(ValueError, match="not a log level"):
        log_level()


def test_json_format_keeps_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_LOG_FORMAT", "json")
    out = io.StringIO()
    configure_logging(stream=out)
    configure_logging(stream=out)  # configured twice: still one handler
    try:
        raise KeyError("missing")
    except KeyError:
        logging.getLogger("kartoteka.test").exception("item %s failed", "x")
    [line] = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["message"] == "item x failed"
    assert "KeyError" in record["exc_info"] and "Traceback" in record["exc_info"]


def test_a_handled_library_complaint_shows_only_when_verbose() -> None:
    from kartoteka.ingest.html import html_to_text

    fragment = "<p>The <b>Cosa Nostra</b> boss of Trapani was arrested.</p>"
    out = io.StringIO()
    configure_logging(stream=out)
    assert html_to_text(fragment) == "The Cosa Nostra boss of Trapani was arrested."
    assert out.getvalue() == ""
    configure_logging(verbose=True, stream=out)
    html_to_text(fragment)
    assert "trafilatura" in out.getvalue()


def test_cli_refuses_a_bad_log_setting_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_LOG_FORMAT", "xml")
    result = CliRunner().invoke(app, ["--verbose", "entities"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: KARTOTEKA_LOG_FORMAT='xml': use text or json"
