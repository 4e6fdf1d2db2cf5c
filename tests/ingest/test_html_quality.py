"""kartoteka's stored HTML body must score at least as well as trafilatura called directly."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench" / "html_quality.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("html_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scoring_is_token_f1() -> None:
    scores = _bench().token_scores
    assert scores("a b c", "a b c") == (1.0, 1.0, 1.0)
    precision, recall, f1 = scores("a b x y", "a b")
    assert (precision, recall) == (0.5, 1.0) and round(f1, 4) == 0.6667
    assert scores("", "a") == (0.0, 0.0, 0.0)


def test_kartoteka_body_scores_at_least_trafilatura_on_the_gold_set() -> None:
    result = _bench().evaluate()
    assert len(result["pages"]) >= 8
    ours, theirs = result["mean"]["kartoteka"], result["mean"]["trafilatura"]
    assert ours[2] >= theirs[2]
    for page in result["pages"]:
        assert page["kartoteka"][2] >= page["trafilatura"][2], page["page"]
        assert page["kartoteka"][1] >= 0.95, page["page"]  # the article text is all there
