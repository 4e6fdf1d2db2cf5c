"""F1, precision and recall of ``compare`` on labelled pairs, beside rapidfuzz WRatio.

    python bench/compare_quality.py [FILE ...] [--verbose]

FILE defaults to the held-out pairs and the hand-written pairs of
bench/data/pairs (never the training pairs).  In the same run it scores the
pairwise model (``compare``), the bare token alignment it started from (the
old ``compare``, at the matcher's linking threshold), and rapidfuzz's WRatio
at the threshold that is best *on these very pairs* — an oracle choice the
other two do not get.  It prints each figure, WRatio's, the ratio, the errors
by class, CPU seconds per pair and the load average.  The last line is one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

from bench.pair_data import PAIRS_DIR, LabelledPair, f1_figures, read_pairs
from kartoteka.link.matcher import DEFAULT_THRESHOLD, compare_names
from kartoteka.link.pairwise import compare_pair


def best_threshold(scores: list[float], truth: list[bool]) -> tuple[float, dict[str, float]]:
    """The threshold that maximises F1 on these pairs, and its figures."""
    best = (0.0, {"f1": -1.0})
    for threshold in sorted(set(scores)):
        figures = f1_figures([s >= threshold for s in scores], truth)
        if figures["f1"] > best[1]["f1"]:
            best = (threshold, figures)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        default=[PAIRS_DIR / "heldout.tsv", PAIRS_DIR / "handwritten.tsv"])
    parser.add_argument("--verbose", action="store_true", help="print every wrong decision")
    args = parser.parse_args()
    pairs: list[LabelledPair] = [p for f in args.files for p in read_pairs(f)]
    truth = [p.same for p in pairs]
    compare_pair("warm", "up")  # weights and lexicon load once, outside the timing

    started = time.process_time()
    results = [compare_pair(p.name1, p.name2, p.schema) for p in pairs]
    model_cpu = time.process_time() - started
    model = f1_figures([r.same for r in results], truth)

    aligned = [compare_names(p.name1, p.name2, p.schema) for p in pairs]
    alignment = f1_figures([s >= DEFAULT_THRESHOLD for s in aligned], truth)

    started = time.process_time()
    wratio = [fuzz.WRatio(p.name1, p.name2) / 100.0 for p in pairs]
    wratio_cpu = time.process_time() - started
    threshold, baseline = best_threshold(wratio, truth)

    wrong = Counter(p.kind for p, r in zip(pairs, results, strict=True) if r.same != p.same)
    total = Counter(p.kind for p in pairs)
    print(f"pairs: {len(pairs)} ({sum(truth)} same) from {', '.join(str(f) for f in args.files)}")
    print(f"compare (pairwise model): {model}")
    print(f"token alignment alone at {DEFAULT_THRESHOLD}: {alignment}")
    print(f"rapidfuzz WRatio at its best threshold {threshold:.2f}: {baseline}")
    ratio = model["f1"] / baseline["f1"] if baseline["f1"] else 0.0
    print(f"F1 ratio compare / WRatio: {ratio:.3f}")
    print("errors by class: " + ", ".join(f"{k} {wrong[k]}/{total[k]}" for k in sorted(total)))
    per_pair = model_cpu / len(pairs) * 1e6
    print(f"CPU per pair: compare {per_pair:.0f} µs, WRatio "
          f"{wratio_cpu / len(pairs) * 1e6:.1f} µs; load average {os.getloadavg()[0]:.2f}")
    if args.verbose:
        for pair, result in zip(pairs, results, strict=True):
            if result.same != pair.same:
                print(f"  {'FN' if pair.same else 'FP'} {result.score:.3f} [{pair.kind}] "
                      f"{pair.name1} ~ {pair.name2}  {result.decisive()}")
    print(json.dumps({"pairs": len(pairs), "compare": model, "alignment": alignment,
                      "wratio": baseline, "wratio_threshold": threshold,
                      "f1_ratio": round(ratio, 3), "compare_us_per_pair": round(per_pair),
                      "load_average": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
