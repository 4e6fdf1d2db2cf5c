"""Hostile inputs for every reader yield drafts, skips or item errors, never an exception.

Inputs come from ``bench/fuzz_inputs.py`` (mutated samples and built documents);
hypothesis supplies the seeded ``Random`` and a fixed, derandomised budget.
``bench/fuzz.py`` runs the same generators 10,000 times per reader.
"""

from __future__ import annotations

import logging
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.fuzz_inputs import generate, run

# Few examples for the readers that run trafilatura, more for the cheap ones.
# Document readers: few examples, as PDFs and images may go through Tesseract.
BUDGET = {"text": 40, "markdown": 25, "html": 15, "telegram": 40, "feed": 25, "warc": 20,
          "jsonl": 40, "auto": 20, "pdf": 10, "docx": 20, "odt": 20, "image": 8}


class _Tracebacks(logging.Handler):
    """Tracebacks kartoteka logged: an exception only the last-resort guard caught."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("kartoteka") and record.exc_info:
            self.seen.append(f"{record.getMessage()}: {record.exc_info[1]!r}")


def check(target: str, rng: random.Random) -> None:
    """Read one generated input; fail on an exception or on a reader leaning on the guard."""
    tracebacks = _Tracebacks()
    root = logging.getLogger()
    root.addHandler(tracebacks)
    try:
        run(target, generate(target, rng))
    finally:
        root.removeHandler(tracebacks)
    assert tracebacks.seen == []


@pytest.mark.parametrize("target", sorted(BUDGET))
def test_reader_never_raises_on_hostile_input(target: str) -> None:
    @settings(max_examples=BUDGET[target], deadline=None, derandomize=True, database=None)
    @given(st.randoms(use_true_random=False))
    def fuzz(rng: random.Random) -> None:
        check(target, rng)

    fuzz()
