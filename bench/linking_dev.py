"""Score the matcher on the linking development set and print both figures.

    python bench/linking_dev.py [DIR] [--verbose]

DIR defaults to ``../shared/data/linking-dev`` next to the repository (or
$KARTOTEKA_LINKING_DEV).  The
figures are the share of queries whose best match is the expected id and the
share of negatives that resolve to nothing, at DEFAULT_THRESHOLD.  The last
line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kartoteka.link.matcher import DEFAULT_THRESHOLD, NameMatcher
from kartoteka.model import Entity, Name

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(os.environ.get("KARTOTEKA_LINKING_DEV",
                                  REPOSITORY.parent / "shared" / "data" / "linking-dev"))


@dataclass
class DevScore:
    queries: int = 0
    resolved: int = 0
    negatives: int = 0
    rejected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def query_share(self) -> float:
        return self.resolved / self.queries if self.queries else 0.0

    @property
    def negative_share(self) -> float:
        return self.rejected / self.negatives if self.negatives else 0.0


def read_registry(path: Path) -> list[Entity]:
    """FtM entity JSON lines -> entities (name, alias and weakAlias properties)."""
    entities = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            props = record["properties"]
            names = props["name"]
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{number}: not an FtM entity with a name ({error})") from None
        values = [Name(v, "name") for v in names[1:]]
        values += [Name(v, "alias") for v in props.get("alias", [])]
        values += [Name(v, "weak") for v in props.get("weakAlias", [])]
        entities.append(Entity(record["id"], record["schema"], names[0], values,
                               countries=props.get("country", []),
                               topics=props.get("topics", [])))
    return entities


def read_rows(path: Path) -> list[list[str]]:
    """TSV rows without the header line."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t") for line in lines if line.strip()]


def evaluate(directory: Path) -> DevScore:
    matcher = NameMatcher.from_entities(read_registry(directory / "registry.ftm.jsonl"))
    score = DevScore()
    for query, expected in read_rows(directory / "queries.tsv"):
        score.queries += 1
        result = matcher.match(query)
        got = result.best.id if result.best else None
        if got == expected:
            score.resolved += 1
        else:
            top = result.candidates[0] if result.candidates else None
            seen = f"{top.id} {top.score}" if top else "nothing"
            score.misses.append(f"query {query!r}: expected {expected}, got {got} (top {seen})")
    for (query, *_rest) in read_rows(directory / "negatives.tsv"):
        score.negatives += 1
        result = matcher.match(query)
        if result.best is None:
            score.rejected += 1
        else:
            score.misses.append(f"negative {query!r}: linked to {result.best.id} "
                                f"{result.best.score}")
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    if not (args.directory / "queries.tsv").exists():
        sys.exit(f"{args.directory}: no queries.tsv; pass the linking-dev directory")
    score = evaluate(args.directory)
    if args.verbose:
        for miss in score.misses:
            print(miss)
    print(f"queries resolved to the expected id: {score.resolved}/{score.queries} "
          f"= {score.query_share:.1%} (target >= 95%)")
    print(f"negatives resolved to nothing:       {score.rejected}/{score.negatives} "
          f"= {score.negative_share:.1%} (target >= 97%)")
    print(json.dumps({"threshold": DEFAULT_THRESHOLD, "queries": score.queries,
                      "query_share": round(score.query_share, 4), "negatives": score.negatives,
                      "negative_share": round(score.negative_share, 4)}))


if __name__ == "__main__":
    main()
