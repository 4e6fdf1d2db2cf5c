"""Cost of writing and reading rows by the model's field names.

The store builds a mention's, an entity's and an author's row from the
dataclass's fields (``kartoteka.store.model_columns``) instead of a dictionary
written out by hand.  Mentions are written by the hundred thousand in a
batch extraction, so the cost per row matters; the baseline, timed in the
same run on the same objects, is the hand-written dictionary the store used
before.  Each figure is the best of five runs of ``--n`` rows: wall and CPU
time per row in microseconds, then the ratio (by name / by hand), then the
load average (other helpers may share the machine).  The last line is JSON.

    PYTHONPATH=. python bench/model_columns.py [--n 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from typing import Any

from kartoteka.model import Entity, Mention, Name
from kartoteka.store.mentions import mention_row
from kartoteka.store.registry import ENTITY_FIELDS, NAME_FIELDS

MENTION = Mention("a1", 3, 9, "Ćeku's", "PER", "gazetteer", 0.5, "ceku", "Ćeku", "title")
ENTITY = Entity("kla", "Organization", "Kosovo Liberation Army",
                [Name("Kosovo Liberation Army", "name")], ["xk"], ["mil"],
                {"wikidataId": "Q1"}, "Armed group.", "1993", "1999-09")
NAME_ROW = {"value": "UÇK", "kind": "alias", "lang": None, "script": "Latn",
            "entity_id": "kla", "origin": "import"}


def mention_by_hand(pk: int, m: Mention, key: str | None) -> dict[str, Any]:
    return {"article_pk": pk, "start": m.start, "end": m.end, "text": m.text,
            "label": m.label, "component": m.component[:40],
            "confidence": float(m.confidence), "entity_id": m.entity_id,
            "candidate_key": key, "normal": m.normal[:500] if m.normal else None,
            "section": m.section}


def entity_by_hand(entity: Entity) -> dict[str, Any]:
    return {"schema": entity.schema, "name": entity.name, "topics": list(entity.topics),
            "identifiers": dict(entity.identifiers), "description": entity.description,
            "start_date": entity.start_date, "end_date": entity.end_date}


def name_by_hand(row: dict[str, Any]) -> Name:
    return Name(row["value"], row["kind"], row["lang"], row["script"])


def best(work: Callable[[], object], n: int) -> tuple[float, float]:
    """Best wall and CPU microseconds per call over five runs of ``n`` calls."""
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls) / n * 1e6, min(cpus) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    n = parser.parse_args().n
    assert mention_row(1, MENTION, "k") == mention_by_hand(1, MENTION, "k")
    assert ENTITY_FIELDS.values(ENTITY) == entity_by_hand(ENTITY)
    assert Name(**NAME_FIELDS.read(NAME_ROW)) == name_by_hand(NAME_ROW)
    cases = {
        "mention row": (lambda: mention_row(1, MENTION, "k"),
                        lambda: mention_by_hand(1, MENTION, "k")),
        "entity values": (lambda: ENTITY_FIELDS.values(ENTITY), lambda: entity_by_hand(ENTITY)),
        "name read": (lambda: Name(**NAME_FIELDS.read(NAME_ROW)),
                      lambda: name_by_hand(NAME_ROW)),
    }
    results: dict[str, dict[str, float]] = {}
    for label, (by_name, by_hand) in cases.items():
        name_wall, name_cpu = best(by_name, n)
        hand_wall, hand_cpu = best(by_hand, n)
        results[label] = {"by_name_us": round(name_cpu, 3), "by_hand_us": round(hand_cpu, 3),
                          "ratio_cpu": round(name_cpu / hand_cpu, 2)}
        print(f"{label}: by name {name_cpu:.2f} µs CPU ({name_wall:.2f} wall), "
              f"by hand {hand_cpu:.2f} µs CPU ({hand_wall:.2f} wall), "
              f"ratio {name_cpu / hand_cpu:.2f}x")
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average: {load}")
    print(json.dumps({"n": n, "load": load, **results}))


if __name__ == "__main__":
    main()
