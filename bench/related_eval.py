"""Quality of related-article ranking against a text-only TF-IDF baseline.

The labelled set (tests/data/related/) is 24 short articles in English and
Russian on eight subjects, three each, with a small registry, and a list of
article pairs marked same subject (1) or unrelated (0).  Subjects come in
look-alike couples (two Mexican cartels, ISKP and the Taliban) so that the
country alone does not give the answer.

Each article is ingested, its entity links come from the gazetteer and the
name matcher over the registry (no statistical NER, so the run is
deterministic and quick), and then every article is ranked against all the
others, by ``related_articles`` and by TF-IDF cosine over the words alone.
Figures: MRR (first same-subject article), precision@5, and the share of
labelled (same, unrelated) pairs ordered correctly.

The same-story set (bench/data/same_story/, see its README) asks a harder
question: is another outlet's report of the same event first?  It has 22
events told twice (14 Russian pairs, 4 English, 4 English/Russian) and 29
look-alike distractors (same group, country and weeks, another event).
Every article of a pair is a query; figures are the share whose partner is
in the top 5 (partner recall@5) and the partner's MRR (queries whose partner
is not first are listed with its place), for ours,
for TF-IDF cosine over folded words (the baseline) and over stems.  Each set
is loaded into a database of its own.  The last line is JSON.

    PYTHONPATH=. python bench/related_eval.py [--db URL] [--same-story-db URL]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select

from kartoteka.extract.pipeline import Document
from kartoteka.extract.standard import standard_pipeline
from kartoteka.services.ingest import IngestService
from kartoteka.services.registry import import_file, list_entities
from kartoteka.services.related import related_articles
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.tables import articles
from kartoteka.text.stemming import stem_words
from kartoteka.text.terms import term_counts

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "related"
SAME_STORY = Path(__file__).resolve().parent / "data" / "same_story"
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """Article ids by file stem, and the labelled pairs (stem, stem, same subject)."""

    ids: dict[str, str]
    pairs: list[tuple[str, str, bool]]

    def relevant(self, stem: str) -> set[str]:
        """Same-subject articles of ``stem``: labelled positives, in both directions."""
        found = set()
        for a, b, same in self.pairs:
            if same and stem in (a, b):
                found.add(b if a == stem else a)
        return found


def read_pairs(path: Path) -> list[tuple[str, str, bool]]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in ("0", "1"):
            raise ValueError(f"{path}:{number}: expected article<TAB>other<TAB>0|1")
        pairs.append((fields[0], fields[1], fields[2] == "1"))
    return pairs


def load(db: Database, data: Path = DATA) -> LabelledSet:
    """Registry, articles and their entity links into an empty, migrated database."""
    report = import_file(db, data / "registry.ftm.jsonl")
    if report.failed:
        raise ValueError(f"registry import failed: {report.as_dict()['errors']}")
    ingest = IngestService(db)
    ids: dict[str, str] = {}
    for path in sorted((data / "articles").glob("*.md")):
        ingested = ingest.ingest([str(path)], "markdown")
        if ingested.failed or not ingested.article_ids:
            raise ValueError(f"{path}: not ingested: {ingested.as_dict()}")
        ids[path.stem] = ingested.article_ids[0]
    link_entities(db)
    return LabelledSet(ids, read_pairs(data / "pairs.tsv"))


def stemmed_counts(title: str, body: str) -> Counter[str]:
    """The folded words of ``term_counts``, each replaced by its stem."""
    counts: Counter[str] = Counter()
    for word, n in term_counts(title, body).items():
        counts[stem_words([word], "ru")[0]] += n
    return counts


def link_entities(db: Database) -> None:
    """Article–entity links from the gazetteer and matcher; subject if named in the title."""
    pipeline = standard_pipeline(list_entities(db), ner=False, cache=False)
    with db.transaction() as conn:
        rows = conn.execute(select(articles.c.pk, articles.c.title, articles.c.body)).all()
        for row in rows:
            title_end = len(row.title) + 1
            result = pipeline.run(Document(text=f"{row.title}\n{row.body}"))
            found: dict[str, list[bool]] = {}
            for mention in result.mentions:
                if mention.entity_id:
                    found.setdefault(mention.entity_id, []).append(mention.start < title_end)
            if found:
                conn.execute(insert(article_entities), [
                    {"article_pk": row.pk, "entity_id": entity_id, "mentions": len(places),
                     "role": "subject" if any(places) else "mentioned", "origin": "extraction"}
                    for entity_id, places in found.items()
                ])


def tfidf_ranker(db: Database, counter: Callable[[str, str], Counter[str]] = term_counts) -> Ranker:
    """Text-only baseline: cosine of TF-IDF vectors over the same folded words."""
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.body)).all()
    counts = {r.id: counter(r.title, r.body) for r in rows}
    df: Counter[str] = Counter(w for c in counts.values() for w in c)
    n = len(counts)
    vectors = {}
    for article_id, c in counts.items():
        vector = {w: (1 + math.log(tf)) * math.log(n / df[w]) for w, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors[article_id] = {w: v / norm for w, v in vector.items()}

    def rank(article_id: str) -> list[str]:
        own = vectors[article_id]
        scores = [
            (sum(v * other.get(w, 0.0) for w, v in own.items()), other_id)
            for other_id, other in vectors.items()
            if other_id != article_id
        ]
        return [other_id for _, other_id in sorted(scores, key=lambda s: (-s[0], s[1]))]

    return rank


def ours_ranker(db: Database) -> Ranker:
    def rank(article_id: str) -> list[str]:
        return [r.id for r in related_articles(db, article_id, limit=1000)]

    return rank


def evaluate(labelled: LabelledSet, rank: Ranker) -> dict[str, float]:
    """MRR, precision@5 and correctly ordered labelled pairs; unranked articles come last."""
    by_id = {v: k for k, v in labelled.ids.items()}
    reciprocal, precision = [], []
    rankings: dict[str, list[str]] = {}
    for stem, article_id in sorted(labelled.ids.items()):
        relevant = labelled.relevant(stem)
        if not relevant:
            continue
        ranked = [by_id[i] for i in rank(article_id) if i in by_id]
        rankings[stem] = ranked
        first = next((i for i, s in enumerate(ranked, 1) if s in relevant), None)
        reciprocal.append(1 / first if first else 0.0)
        precision.append(sum(1 for s in ranked[:5] if s in relevant) / 5)
    ordered = total = 0
    for query in rankings:
        positions = {s: i for i, s in enumerate(rankings[query])}
        unranked = len(positions) + 1
        for a, b, same in labelled.pairs:
            if not same or query not in (a, b):
                continue
            positive = b if a == query else a
            for c, d, other_same in labelled.pairs:
                if other_same or query not in (c, d):
                    continue
                negative = d if c == query else c
                total += 1
                if positions.get(positive, unranked) < positions.get(negative, unranked):
                    ordered += 1
    return {
        "mrr": round(sum(reciprocal) / len(reciprocal), 4),
        "precision_at_5": round(sum(precision) / len(precision), 4),
        "pairs_ordered": round(ordered / total, 4) if total else 0.0,
        "queries": len(reciprocal),
    }


def partner_figures(labelled: LabelledSet, rank: Ranker) -> dict[str, object]:
    """Partner recall@5 and MRR over every article of a same-story pair, with the misses."""
    by_id = {v: k for k, v in labelled.ids.items()}
    found, reciprocal, missed = 0, [], []
    for a, b, same in labelled.pairs:
        if not same:
            continue
        for query, partner in ((a, b), (b, a)):
            ranked = [by_id[i] for i in rank(labelled.ids[query]) if i in by_id]
            place = ranked.index(partner) + 1 if partner in ranked else None
            reciprocal.append(1 / place if place else 0.0)
            if place is not None and place <= 5:
                found += 1
            if place != 1:
                missed.append(f"{query}->{partner}@{place}")
    return {"recall_at_5": round(found / len(reciprocal), 4),
            "mrr": round(sum(reciprocal) / len(reciprocal), 4),
            "queries": len(reciprocal), "not_first": missed}


def run(db: Database) -> dict[str, dict[str, float]]:
    labelled = load(db)
    return {"ours": evaluate(labelled, ours_ranker(db)),
            "tfidf": evaluate(labelled, tfidf_ranker(db)),
            "pairs": {"labelled": len(labelled.pairs),
                      "same_subject": sum(1 for p in labelled.pairs if p[2])}}


def run_same_story(db: Database) -> dict[str, dict[str, object]]:
    labelled = load(db, SAME_STORY)
    return {"ours": partner_figures(labelled, ours_ranker(db)),
            "tfidf": partner_figures(labelled, tfidf_ranker(db)),
            "tfidf_stemmed": partner_figures(labelled, tfidf_ranker(db, stemmed_counts)),
            "articles": {"count": len(labelled.ids)}}


def _fresh(url: str | None, tmp: str, name: str) -> Database:
    db = Database(url or f"sqlite:///{Path(tmp) / name}")
    db.migrate()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--same-story-db",
                        help="URL of another empty database for the same-story set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = _fresh(args.db, tmp, "related.db")
        figures = run(db)
        db.dispose()
        story_db = _fresh(args.same_story_db, tmp, "same_story.db")
        story = run_same_story(story_db)
        story_db.dispose()
    ours, base = figures["ours"], figures["tfidf"]
    print(f"backend {db.backend}; {figures['pairs']['labelled']} labelled pairs "
          f"({figures['pairs']['same_subject']} same subject), {ours['queries']} queries")
    for name, f in (("ours", ours), ("tfidf baseline", base)):
        print(f"{name:15s} MRR {f['mrr']:.3f}  P@5 {f['precision_at_5']:.3f}  "
              f"pairs ordered {f['pairs_ordered']:.3f}")
    ratio = ours["mrr"] / base["mrr"] if base["mrr"] else float("inf")
    print(f"MRR ratio ours/baseline: {ratio:.2f}")
    print(f"same-story set: {story['articles']['count']} articles, "
          f"{story['ours']['queries']} queries (both articles of each pair)")
    for name in ("ours", "tfidf", "tfidf_stemmed"):
        f = story[name]
        print(f"{name:15s} partner recall@5 {f['recall_at_5']:.3f}  MRR {f['mrr']:.3f}  "
              f"not first: {', '.join(f['not_first']) or '-'}")  # type: ignore[arg-type]
    print(json.dumps({"backend": db.backend, "ours": ours, "baseline": base,
                      "mrr_ratio": round(ratio, 3),
                      "same_story": {k: v for k, v in story.items() if k != "articles"}}))


if __name__ == "__main__":
    main()
