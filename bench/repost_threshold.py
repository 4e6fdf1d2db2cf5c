"""Precision and recall of repost detection over thresholds, to choose the default.

Positives: lightly edited copies of indexed originals (each must find its
original).  Negatives: different articles on the same topic, some quoting a
quarter of an original's sentences (each must find nothing).  Everything
goes through ``RepostIndex``, so LSH misses count as misses.

    python bench/repost_threshold.py [--originals 300] [--seed 7]

The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_corpus import article, edited_copy, follow_up, topic

from kartoteka.dedup import RepostIndex, signature

THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(15)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    originals: dict[str, str] = {}
    positives: list[tuple[str, str]] = []  # (copy text, id of its original)
    negatives: list[str] = []
    for n in range(args.originals):
        about = topic(rng)
        text = article(rng, about)
        originals[f"a{n}"] = text
        positives.append((edited_copy(rng, text), f"a{n}"))
        negatives.append(article(rng, about))
        negatives.append(follow_up(rng, about, text))

    rows = []
    for shingle_words in (1, 2, 3, 4, 5):
        stored = [(k, signature(v, shingle_words=shingle_words)) for k, v in originals.items()]
        pos = [(signature(t, shingle_words=shingle_words), o) for t, o in positives]
        neg = [signature(t, shingle_words=shingle_words) for t in negatives]
        for threshold in THRESHOLDS:
            index = RepostIndex.from_pairs(stored, threshold=threshold)
            tp = fp = fn = 0
            for sig, original in pos:
                found = {c.article_id for c in index.query(sig)}
                tp += original in found
                fn += original not in found
                fp += len(found - {original})
            for sig in neg:
                fp += len(index.query(sig))
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows.append({"shingle_words": shingle_words, "threshold": threshold, "tp": tp,
                         "fp": fp, "fn": fn, "precision": round(precision, 4),
                         "recall": round(recall, 4), "f1": round(f1, 4)})

    print(f"{'k':>2} {'thr':>5} {'prec':>6} {'recall':>6} {'f1':>6}  tp/fp/fn")
    for row in rows:
        print(f"{row['shingle_words']:>2} {row['threshold']:>5} {row['precision']:>6} "
              f"{row['recall']:>6} {row['f1']:>6}  {row['tp']}/{row['fp']}/{row['fn']}")
    best = max(rows, key=lambda r: (r["f1"], r["precision"], -abs(r["threshold"] - 0.5)))
    # Within the best shingle size, the middle of the thresholds that reach the best F1
    # is the choice least sensitive to how heavy the edits in real data are.
    plateau = [r["threshold"] for r in rows
               if r["shingle_words"] == best["shingle_words"] and r["f1"] >= best["f1"] - 0.002]
    chosen = round(sorted(plateau)[len(plateau) // 2], 2)
    print(f"best F1 {best['f1']} with {best['shingle_words']}-word shingles; thresholds within "
          f"0.002 of it: {plateau}; middle: {chosen}")
    print(json.dumps({"originals": args.originals, "positives": len(positives),
                      "negatives": len(negatives), "best": best, "plateau": plateau,
                      "chosen_threshold": chosen, "rows": rows}))


if __name__ == "__main__":
    main()
