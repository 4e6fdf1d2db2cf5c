"""Hostile FtM and CSV registry files yield entities or line errors, never an exception."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ingest.test_fuzz import check


@pytest.mark.parametrize("target", ["ftm", "csv"])
def test_importer_never_raises_on_hostile_input(target: str) -> None:
    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(st.randoms(use_true_random=False))
    def fuzz(rng: random.Random) -> None:
        check(target, rng)

    fuzz()
