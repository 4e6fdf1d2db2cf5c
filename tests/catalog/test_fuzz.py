"""Hostile catalog posts yield entries or line errors, never an exception."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ingest.test_fuzz import check


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.randoms(use_true_random=False))
def test_catalog_parser_never_raises_on_hostile_input(rng: random.Random) -> None:
    check("catalog", rng)
