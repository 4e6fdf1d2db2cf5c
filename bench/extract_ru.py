"""Russian NER speed: kartoteka's component against natasha alone, same texts, same run.

The component adds natasha's morphology tagger and ``normalize`` (for the
normal forms candidates group on), pymorphy3 for foreign persons' names, the
bounded text and the span tidying.  Texts are the annotated set's Russian
articles, repeated; CPU seconds (``time.process_time``) are the steadier
figure on the shared machine, so both are printed with the load average.

    PYTHONPATH=. python bench/extract_ru.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotated_set import load_articles

from kartoteka.extract.ner_ru import RussianNER, load_models
from kartoteka.extract.pipeline import Document, ExtractionResult


def natasha_alone(texts: list[str]) -> None:
    from natasha import Doc

    segmenter, ner, _, _ = load_models()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(ner)


def component(texts: list[str]) -> None:
    ner = RussianNER()
    for text in texts:
        document = Document(text, "ru")
        ner(document, ExtractionResult(document, "ru"))


def timed(run: object, texts: list[str]) -> tuple[float, float]:
    assert callable(run)
    wall, cpu = time.perf_counter(), time.process_time()
    run(texts)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [a["text"] for a in load_articles() if a["language"] == "ru"] * args.rounds
    component(texts[:2])  # load every model before timing
    base = timed(natasha_alone, texts)
    ours = timed(component, texts)
    load = os.getloadavg()[0]
    print(f"{len(texts)} Russian texts, load average {load:.1f}")
    print(f"  natasha NER alone  {len(texts) / base[1]:7.1f} texts/s CPU "
          f"({len(texts) / base[0]:.1f} wall)")
    print(f"  RussianNER         {len(texts) / ours[1]:7.1f} texts/s CPU "
          f"({len(texts) / ours[0]:.1f} wall)")
    print(f"  ratio (CPU time, ours / natasha): {ours[1] / base[1]:.2f}")
    print(json.dumps({"texts": len(texts), "load": round(load, 2),
                      "natasha_cpu_s": round(base[1], 3), "ours_cpu_s": round(ours[1], 3),
                      "ratio": round(ours[1] / base[1], 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
