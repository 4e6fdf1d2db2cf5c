"""Both dev-set figures at DEFAULT_THRESHOLD, asserted against the targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "linking_dev.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("linking_dev", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def test_dev_set_targets() -> None:
    bench = _bench()
    directory: Path = bench.DEFAULT_DIR
    if not (directory / "queries.tsv").exists():
        pytest.skip(f"linking dev set not found at {directory} (set KARTOTEKA_LINKING_DEV)")
    score = bench.evaluate(directory)
    print(f"\nqueries {score.query_share:.1%}, negatives {score.negative_share:.1%}")
    assert score.queries > 0 and score.negatives > 0
    assert score.query_share >= 0.95, score.misses
    assert score.negative_share >= 0.97, score.misses
