"""One logging configuration for the CLI and the web server.

The user sees one clear line per failure (the CLI prints it); the log keeps
the traceback of anything unexpected.  Where it goes and how much:

- ``KARTOTEKA_LOG_LEVEL`` (``WARNING`` by default; ``--verbose`` on the CLI
  means ``DEBUG``);
- ``KARTOTEKA_LOG_FORMAT``: ``text`` (default) or ``json``, one object per
  record for servers whose logs are collected.

Logs go to stderr, so ``--json`` output on stdout stays parseable.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

__all__ = [
    "CHATTY_LIBRARIES",
    "LOG_FORMAT_ENV",
    "LOG_LEVEL_ENV",
    "configure_logging",
    "log_level",
    "uvicorn_log_config",
]

LOG_LEVEL_ENV = "KARTOTEKA_LOG_LEVEL"
LOG_FORMAT_ENV = "KARTOTEKA_LOG_FORMAT"
FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d"
_HANDLER_NAME = "kartoteka"

# Libraries that log at ERROR what for us is an ordinary answer: trafilatura
# reports "empty HTML tree" for any one-paragraph feed fragment, which
# ``ingest.html.html_to_text`` then reads as plain text.  Their records are
# kept for ``--verbose`` (DEBUG) only, so a user never sees an ERROR line
# about an ingest that went well.
CHATTY_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext")


def log_level(verbose: bool = False) -> int:
    """``--verbose`` wins, then ``KARTOTEKA_LOG_LEVEL``, then WARNING."""
    if verbose:
        return logging.DEBUG
    name = os.environ.get(LOG_LEVEL_ENV, "").strip().upper() or "WARNING"
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        raise ValueError(
            f"{LOG_LEVEL_ENV}={name!r} is not a log level: use DEBUG, INFO, WARNING or ERROR"
        )
    return level


def log_format() -> str:
    name = os.environ.get(LOG_FORMAT_ENV, "").strip().lower() or "text"
    if name not in FORMATS:
        raise ValueError(f"{LOG_FORMAT_ENV}={name!r}: use {' or '.join(FORMATS)}")
    return name


def _formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(verbose: bool = False, stream: TextIO | None = None) -> None:
    """Install the one kartoteka handler on the root logger (again: replaced, not added)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_formatter(log_format()))
    root.addHandler(handler)
    level = log_level(verbose)
    root.setLevel(level)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG
                                         else logging.CRITICAL)


def uvicorn_log_config() -> dict[str, object]:
    """uvicorn's own loggers through the same handler and format as ours.

    Given to ``uvicorn.run(log_config=...)`` so its workers configure the same
    way; ``--access-log`` records then come out as JSON too.
    """
    fmt = log_format()
    formatter: dict[str, object] = (
        {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FIELDS,
         "rename_fields": {"levelname": "level", "name": "logger"}}
        if fmt == "json" else {"format": TEXT}
    )
    level = logging.getLevelName(min(log_level(), logging.INFO))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "default",
                                 "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["default"], "level": level, "propagate": False},
            "kartoteka": {"handlers": ["default"], "level": logging.getLevelName(log_level()),
                          "propagate": False},
        },
    }
