"""Fit the weights of ``compare``'s pairwise model on bench/data/pairs/train.tsv.

    python bench/train_compare.py [--l2 0.01] [--write]

A logistic regression over :data:`kartoteka.link.pairwise.FEATURES`, fitted by
plain gradient descent in NumPy (deterministic, no extra dependency).  It
prints F1 on the training and held-out pairs; with ``--write`` it saves the
weights to ``kartoteka/link/pair_weights.json``, which the package ships.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.pair_data import PAIRS_DIR, LabelledPair, f1_figures, read_pairs
from kartoteka.link.pairwise import FEATURES, pair_features

WEIGHTS = Path(__file__).resolve().parent.parent / "kartoteka" / "link" / "pair_weights.json"


def matrix(pairs: list[LabelledPair]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    rows = []
    for pair in pairs:
        found = pair_features(pair.name1, pair.name2, pair.schema)
        rows.append([found[name] for name in FEATURES])
    return np.array(rows, dtype=np.float64), np.array([p.same for p in pairs], dtype=np.float64)


def fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], l2: float,
        steps: int = 20_000, rate: float = 0.5) -> tuple[float, npt.NDArray[np.float64]]:
    """Gradient descent on the mean log loss; classes weighed equally."""
    weight_of = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        error = (p - y) * weight_of
        w -= rate * (x.T @ error / len(y) + l2 * w)
        b -= rate * error.mean()
    return b, w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    train = read_pairs(PAIRS_DIR / "train.tsv")
    heldout = read_pairs(PAIRS_DIR / "heldout.tsv")
    x, y = matrix(train)
    b, w = fit(x, y, args.l2)
    for label, pairs in (("train", train), ("heldout", heldout)):
        hx, hy = (x, y) if pairs is train else matrix(pairs)
        predicted = (1.0 / (1.0 + np.exp(-(hx @ w + b)))) >= 0.5
        print(label, len(pairs), f1_figures(list(predicted), list(hy.astype(bool))))
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)}
    print(json.dumps({"bias": round(b, 4), "weights": weights}))
    if args.write:
        WEIGHTS.write_text(json.dumps(
            {"bias": round(b, 4), "threshold": 0.5, "weights": weights,
             "trained_on": "bench/data/pairs/train.tsv (bench/train_compare.py)"},
            indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
