"""Reading the labelled pair files of ``bench/data/pairs`` (see the README there)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAIRS_DIR = Path(__file__).resolve().parent / "data" / "pairs"


@dataclass(frozen=True, slots=True)
class LabelledPair:
    name1: str
    name2: str
    schema: str | None
    same: bool
    kind: str


def read_pairs(path: Path) -> list[LabelledPair]:
    """name1, name2, schema, label (1 same / 0 different), class; ``#`` lines are comments."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[3] not in ("0", "1"):
            raise SystemExit(f"{path}:{number}: expected name1, name2, schema, 0|1, class")
        pairs.append(LabelledPair(fields[0], fields[1], fields[2] or None, fields[3] == "1",
                                  fields[4]))
    return pairs


def f1_figures(predicted: list[bool], truth: list[bool]) -> dict[str, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}
