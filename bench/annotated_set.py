"""Turn the marked-up annotated articles into JSON lines with character offsets.

The source (tests/data/extract/annotated/articles.md) is what an annotator
edits: ``[span](LABEL:entity)`` inline.  Offsets are computed here so that
nobody counts characters by hand; tests check the JSON lines stay in sync.

    python bench/annotated_set.py   # rewrites articles.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "data" / "extract" / "annotated"
SOURCE = FOLDER / "articles.md"
TARGET = FOLDER / "articles.jsonl"
_MARK = re.compile(r"\[([^\]]+)\]\((PER|ORG|LOC)(?::([\w-]+))?\)")
_HEADER = re.compile(r"^## (\S+)\n", re.MULTILINE)


def parse_article(article_id: str, block: str) -> dict[str, Any]:
    fields: dict[str, str] = {}
    lines = block.strip("\n").split("\n")
    while lines and ":" in lines[0] and not lines[0].startswith("["):
        key, _, value = lines.pop(0).partition(":")
        fields[key.strip()] = value.strip()
    marked = "\n".join(lines).strip()
    text_parts: list[str] = []
    mentions: list[dict[str, Any]] = []
    position = 0
    length = 0
    for match in _MARK.finditer(marked):
        before = marked[position:match.start()]
        text_parts.append(before)
        length += len(before)
        span = match.group(1)
        mentions.append({"start": length, "end": length + len(span), "text": span,
                         "label": match.group(2), "entity_id": match.group(3)})
        text_parts.append(span)
        length += len(span)
        position = match.end()
    text_parts.append(marked[position:])
    return {"id": article_id, "language": fields["lang"],
            "countries": sorted(fields.get("countries", "").split()),
            "text": "".join(text_parts), "mentions": mentions}


def parse(source: str) -> list[dict[str, Any]]:
    pieces = _HEADER.split(source)
    return [parse_article(pieces[i], pieces[i + 1]) for i in range(1, len(pieces), 2)]


def main() -> int:
    articles = parse(SOURCE.read_text(encoding="utf-8"))
    with TARGET.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    print(f"{len(articles)} articles, "
          f"{sum(len(a['mentions']) for a in articles)} mentions -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def load_registry(path: Path = FOLDER / "registry.ftm.jsonl") -> list[Any]:
    """The small registry the articles link to, as kartoteka Entities.

    A minimal FtM reader (name, alias, weakAlias, country, topics) for tests
    and benches; the registry importer is the real one.
    """
    from kartoteka.model import Entity, Name

    entities = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not JSON ({error})") from error
        props = row.get("properties", {})
        names = [Name(a, "alias") for a in props.get("alias", [])]
        names += [Name(a, "weak") for a in props.get("weakAlias", [])]
        entities.append(Entity(row["id"], row["schema"], props["name"][0], names,
                               props.get("country", []), props.get("topics", [])))
    return entities


def load_articles(path: Path = TARGET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
