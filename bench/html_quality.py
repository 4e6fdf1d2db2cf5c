"""Does kartoteka's HTML reader keep trafilatura's extraction quality?

Scores token-level precision, recall and F1 (bag of words, as the usual
article-extraction benchmarks do) of the body kartoteka stores and of
``trafilatura.extract`` called directly with its defaults, on the gold set
in ``tests/data/ingest/html_gold`` (see its README for why it is ours).

    python bench/html_quality.py [--gold DIR]

The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from kartoteka.ingest.base import Input, ReadOptions  # noqa: E402
from kartoteka.ingest.html import HtmlReader  # noqa: E402
from kartoteka.model import ArticleDraft  # noqa: E402
from kartoteka.text.normalize import words  # noqa: E402

GOLD = ROOT / "tests" / "data" / "ingest" / "html_gold"


def token_scores(extracted: str, expected: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the extracted words against the expected words."""
    got, want = Counter(w.casefold() for w in words(extracted)), Counter(
        w.casefold() for w in words(expected))
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def kartoteka_body(path: Path) -> str:
    items = list(HtmlReader().read(Input(str(path), path.read_bytes()), ReadOptions()))
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    return drafts[0].body if drafts else ""


def trafilatura_body(path: Path) -> str:
    return trafilatura.extract(path.read_bytes()) or ""


def evaluate(gold: Path = GOLD) -> dict[str, object]:
    """Per-page and mean scores for both extractors."""
    pages = []
    for page in sorted(gold.glob("*.html")):
        expected = page.with_suffix(".txt").read_text(encoding="utf-8")
        ours = token_scores(kartoteka_body(page), expected)
        theirs = token_scores(trafilatura_body(page), expected)
        pages.append({"page": page.stem, "kartoteka": ours, "trafilatura": theirs})
    mean = {name: [round(sum(p[name][i] for p in pages) / len(pages), 4) for i in range(3)]
            for name in ("kartoteka", "trafilatura")}
    return {"pages": pages, "mean": mean}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=GOLD)
    result = evaluate(parser.parse_args().gold)
    print(f"{'page':<24} {'kartoteka P/R/F1':>22} {'trafilatura P/R/F1':>22}")
    for page in result["pages"]:
        ours = "/".join(f"{v:.3f}" for v in page["kartoteka"])
        theirs = "/".join(f"{v:.3f}" for v in page["trafilatura"])
        print(f"{page['page']:<24} {ours:>22} {theirs:>22}")
    mean = result["mean"]
    ours_f1, theirs_f1 = mean["kartoteka"][2], mean["trafilatura"][2]
    ratio = ours_f1 / theirs_f1 if theirs_f1 else float("inf")
    print(f"mean F1: kartoteka {ours_f1}, trafilatura {theirs_f1}, ratio {ratio:.4f}")
    print(json.dumps({"pages": len(result["pages"]),
                      "kartoteka": mean["kartoteka"],
                      "trafilatura": mean["trafilatura"],
                      "f1_ratio": round(ratio, 4)}))


if __name__ == "__main__":
    main()
