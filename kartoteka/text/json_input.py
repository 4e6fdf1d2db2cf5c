"""JSON from files we did not write: every way ``json.loads`` can fail is one error.

``json.loads`` raises more than ``JSONDecodeError`` on hostile input: a
document nested a few thousand levels deep exhausts the recursion limit, and
an integer longer than Python's conversion limit (4,300 digits) is a plain
``ValueError``.  Readers catch one exception type and report its message.
"""

from __future__ import annotations

import json
from typing import Any


class JsonInputError(ValueError):
    """The text is not JSON we can read; the message says why and, if known, where."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 reason: str = "", truncated: bool = False) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.line = line
        self.column = column
        self.truncated = truncated


def load_json(text: str) -> Any:
    """``json.loads`` with its non-``JSONDecodeError`` failures turned into ``JsonInputError``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(exc.doc.rstrip())
        raise JsonInputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                             line=exc.lineno, column=exc.colno, reason=exc.msg,
                             truncated=truncated) from None
    except RecursionError:
        raise JsonInputError("JSON nested too deeply to read (thousands of levels); "
                             "no export has that shape") from None
    except ValueError as exc:  # e.g. an integer beyond int's digit limit
        raise JsonInputError(f"unreadable JSON value: {_first_sentence(exc)}") from None


def _first_sentence(exc: BaseException) -> str:
    return str(exc).split(";")[0]
