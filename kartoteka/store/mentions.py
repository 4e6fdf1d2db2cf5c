"""Reading and writing what extraction found: mentions, documentation links, candidates.

Entity ids are stored as the linker gave them (canonical at the time);
readers resolve them through the registry's merge map, so a merge and an
unmerge need no rewrite here.  Rows of origin ``catalog`` or ``editor`` in
``article_entities`` are never deleted by extraction: it only refreshes
their mention counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from kartoteka.extract.documentation import Documentation, context
from kartoteka.model import Mention
from kartoteka.record import as_record
from kartoteka.store import dialect
from kartoteka.store.extraction_tables import article_entities, candidates, mentions
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.tables import articles

EXTRACTION = "extraction"
OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
CONTEXTS = 5
BATCH = 500
_COUNTED = ("name", "label", "mentions", "articles", "contexts")
# count_ahead's work: each key's mention rows as read, and the values counted from them.
CountedAhead = dict[str, tuple[list[Any], dict[str, Any] | None]]

# A mention's article is the row's ``article_pk``; every other field of ``Mention``
# is a column of ``mentions`` under its own name, written and read by name
# (checked at import and by tests/store/test_model_columns.py).
# Values are cut to their column's length where a component could give a longer one.
MENTION_FIELDS = stored_fields(Mention, mentions, joined={"article_id"}, to_column={
    "component": lambda value: value[:40],
    "confidence": float,
    "normal": lambda value: value[:500] if value else None,
})


def mention_row(article_pk: int, mention: Mention, candidate_key: str | None) -> dict[str, Any]:
    """The ``mentions`` row of a mention: one shape for one article's extraction and
    a batch's (``store/mentions_batch.py``)."""
    row = MENTION_FIELDS.values(mention)
    row["article_pk"], row["candidate_key"] = article_pk, candidate_key
    return row


@dataclass(frozen=True, slots=True)
class EntityArticle:
    """One article documenting an entity (ids of a merged cluster summed)."""

    article_id: str
    title: str
    published_at: datetime | None
    mentions: int
    role: str

    def as_dict(self) -> dict[str, Any]:
        return as_record(self, rename={"article_id": "id"})


@dataclass(slots=True)
class Candidate:
    """An unresolved name, aggregated over articles, waiting for an editor."""

    key: str
    name: str
    label: str
    mentions: int
    articles: int
    contexts: list[str] = field(default_factory=list)
    status: str = OPEN
    entity_id: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return as_record(self)


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), BATCH):
        yield list(values[start : start + BATCH])


class MentionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- one article ----------------------------------------------------------------

    def article_pk(self, article_id: str) -> int | None:
        return self.conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar()

    def article_id(self, article_pk: int) -> str:
        return str(self.conn.execute(
            select(articles.c.id).where(articles.c.pk == article_pk)).scalar_one())

    def replace(
        self,
        article_pk: int,
        found: Sequence[tuple[Mention, str | None]],
        links: Sequence[Documentation],
    ) -> set[str]:
        """Make ``found`` (mention, candidate key) the article's extraction; the keys touched."""
        touched = set(
            self.conn.execute(
                select(mentions.c.candidate_key).where(
                    mentions.c.article_pk == article_pk, mentions.c.candidate_key.is_not(None)
                )
            ).scalars()
        )
        self.conn.execute(delete(mentions).where(mentions.c.article_pk == article_pk))
        if found:
            self.conn.execute(
                insert(mentions),
                [mention_row(article_pk, m, key) for m, key in found],
            )
        touched.update(key for _, key in found if key)
        self.replace_links(article_pk, links)
        return touched

    def replace_links(self, article_pk: int, links: Sequence[Documentation]) -> None:
        """Extraction's links replace extraction's; catalog and editor links only get counts.

        A link found again is updated in place, never deleted and re-inserted:
        a new row in ``article_entities`` is what alerts a watchlist (see
        ``store.alerts_tables``), so a re-run must add rows only for new links.
        """
        rows = {
            row.entity_id: row
            for row in self.conn.execute(
                select(article_entities.c.entity_id, article_entities.c.origin,
                       article_entities.c.mentions, article_entities.c.role).where(
                    article_entities.c.article_pk == article_pk
                )
            )
        }
        existing = {entity_id: row.origin for entity_id, row in rows.items()}
        found = {link.entity_id: link for link in links}
        gone = [e for e, origin in existing.items() if origin == EXTRACTION and e not in found]
        if gone:
            self.conn.execute(
                delete(article_entities).where(
                    article_entities.c.article_pk == article_pk,
                    article_entities.c.entity_id.in_(gone),
                )
            )
        for entity_id, origin in existing.items():
            if entity_id in gone:
                continue
            link = found.get(entity_id)
            values: dict[str, Any] = {"mentions": link.mentions if link else 0}
            if link is not None and origin == EXTRACTION:
                values["role"] = link.role
            if all(getattr(rows[entity_id], k) == v for k, v in values.items()):
                continue
            self.conn.execute(
                update(article_entities)
                .where(article_entities.c.article_pk == article_pk,
                       article_entities.c.entity_id == entity_id)
                .values(**values)
            )
        fresh = [link for link in links if link.entity_id not in existing]
        if fresh:
            self.conn.execute(
                insert(article_entities),
                [{"article_pk": article_pk, "entity_id": link.entity_id,
                  "mentions": link.mentions, "role": link.role, "origin": EXTRACTION}
                 for link in fresh],
            )

    def mentions_of(self, article_pk: int, article_id: str = "") -> list[Mention]:
        rows = self.conn.execute(
            select(mentions).where(mentions.c.article_pk == article_pk)
            .order_by(mentions.c.section.desc(), mentions.c.start, mentions.c.end)
        ).all()  # "title" sorts after "body": descending puts the title first
        return [Mention(article_id, **MENTION_FIELDS.read(r)) for r in rows]

    def links_of(self, article_ids: Sequence[str]) -> dict[str, list[tuple[str, int, str]]]:
        """(entity id, mentions, role) per article id, most-mentioned first."""
        found: dict[str, list[tuple[str, int, str]]] = {i: [] for i in article_ids}
        for chunk in _chunks(article_ids):
            for row in self.conn.execute(
                select(articles.c.id, article_entities.c.entity_id, article_entities.c.mentions,
                       article_entities.c.role)
                .join(articles, articles.c.pk == article_entities.c.article_pk)
                .where(articles.c.id.in_(chunk))
                .order_by(article_entities.c.mentions.desc(), article_entities.c.entity_id)
            ):
                found[row.id].append((row.entity_id, row.mentions, row.role))
        return found

    # --- one entity -------------------------------------------------------------------

    def articles_of(self, entity_ids: Sequence[str], *, public: bool = True) -> list[EntityArticle]:
        """Articles documenting any of ``entity_ids``, most mentions first.

        ``public`` hides what anonymous readers may not see (drafts, deleted
        articles) and reposts, which repeat an original already listed.
        """
        query = (
            select(articles.c.id, articles.c.title, articles.c.published_at,
                   article_entities.c.mentions, article_entities.c.role)
            .join(articles, articles.c.pk == article_entities.c.article_pk)
            .where(article_entities.c.entity_id.in_(list(entity_ids)),
                   articles.c.deleted_at.is_(None))
        )
        if public:
            query = query.where(articles.c.status == "published", articles.c.original_id.is_(None))
        merged: dict[str, EntityArticle] = {}
        for row in self.conn.execute(query):
            known = merged.get(row.id)
            count = row.mentions + (known.mentions if known else 0)
            role = "subject" if row.role == "subject" or (known and known.role == "subject") \
                else row.role
            merged[row.id] = EntityArticle(row.id, row.title, row.published_at,
                                           count, role)
        return sorted(merged.values(), key=lambda a: (a.role != "subject", -a.mentions,
                                                      a.article_id))

    def entity_counts(self) -> dict[str, tuple[int, int]]:
        """Every linked entity id: (articles, mentions) over visible original articles."""
        rows = self.conn.execute(
            select(article_entities.c.entity_id, func.count(),
                   func.sum(article_entities.c.mentions))
            .join(articles, articles.c.pk == article_entities.c.article_pk)
            .where(articles.c.deleted_at.is_(None), articles.c.status == "published",
                   articles.c.original_id.is_(None))
            .group_by(article_entities.c.entity_id)
        ).all()
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}

    def count_mentions(self, linked: bool | None = None) -> int:
        query = select(func.count()).select_from(mentions)
        if linked is not None:
            query = query.where(
                mentions.c.entity_id.is_not(None) if linked else mentions.c.entity_id.is_(None)
            )
        return int(self.conn.execute(query).scalar_one())

    # --- candidates ----------------------------------------------------------------------

    def candidate(self, key: str) -> Candidate | None:
        row = self.conn.execute(select(candidates).where(candidates.c.key == key)).first()
        return _candidate(row) if row else None

    def list_candidates(self, status: str | None = OPEN, limit: int = 1000) -> list[Candidate]:
        query = select(candidates).order_by(candidates.c.mentions.desc(), candidates.c.key)
        if status is not None:
            query = query.where(candidates.c.status == status)
        return [_candidate(r) for r in self.conn.execute(query.limit(limit))]

    def count_candidates(self, status: str | None = OPEN) -> int:
        query = select(func.count()).select_from(candidates)
        if status is not None:
            query = query.where(candidates.c.status == status)
        return int(self.conn.execute(query).scalar_one())

    def accepted_links(self, keys: Iterable[str]) -> dict[str, str]:
        """Keys an editor accepted onto an entity: the decision holds on every re-run."""
        wanted = sorted(set(keys))
        found: dict[str, str] = {}
        for chunk in _chunks(wanted):
            for row in self.conn.execute(
                select(candidates.c.key, candidates.c.entity_id).where(
                    candidates.c.key.in_(chunk), candidates.c.status == ACCEPTED,
                    candidates.c.entity_id.is_not(None),
                )
            ):
                found[row.key] = row.entity_id
        return found

    def recount(self, keys: Iterable[str] | None = None, *,
                ahead: CountedAhead | None = None) -> None:
        """Refresh candidates from unresolved mentions: counts, name, label, contexts.

        An open candidate with no mentions left disappears; a decided one stays,
        so the decision outlives its evidence.  ``ahead`` is :meth:`count_ahead`'s
        work for these keys: a key whose mention rows are still the ones it read
        keeps the values it computed.
        """
        if keys is None:
            wanted = sorted(
                set(self.conn.execute(select(candidates.c.key)).scalars())
                | set(self.conn.execute(
                    select(mentions.c.candidate_key).where(
                        mentions.c.candidate_key.is_not(None)).distinct()).scalars())
            )
        else:
            wanted = sorted(set(keys))
        for chunk in _chunks(wanted):
            self._recount(chunk, ahead or {})

    def count_ahead(self, keys: Iterable[str]) -> CountedAhead:
        """The recount's reading and counting, without writing: done before a
        writer takes the candidates lock, so that under it only keys whose
        mentions another writer changed meanwhile are counted again."""
        found: CountedAhead = {}
        for chunk in _chunks(sorted(set(keys))):
            rows = self._mention_rows(chunk)
            values = self._values(rows)
            found.update((key, (rows[key], values.get(key))) for key in chunk)
        return found

    def _mention_rows(self, keys: list[str]) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {k: [] for k in keys}
        for row in self.conn.execute(
            # The pk too: a row re-inserted (its article extracted again) is a change.
            select(mentions.c.pk, mentions.c.candidate_key, mentions.c.article_pk,
                   mentions.c.start, mentions.c.end, mentions.c.text, mentions.c.label,
                   mentions.c.normal, mentions.c.section)
            .where(mentions.c.candidate_key.in_(keys), mentions.c.entity_id.is_(None))
            .order_by(mentions.c.article_pk, mentions.c.start)
        ):
            found[row.candidate_key].append(row)
        return found

    def _values(self, found: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
        """A candidate's columns from its mention rows, for each key that has some."""
        samples = {pk for rows in found.values() for pk in _sample_articles(rows)}
        texts = {(r.pk, section): getattr(r, section) for r in self.conn.execute(
            select(articles.c.pk, articles.c.title, articles.c.body)
            .where(articles.c.pk.in_(sorted(samples)))
        ) for section in ("title", "body")} if samples else {}
        return {key: {
            # The dictionary form when known: «Амаду Куфа», not «Амаду Куфой».
            "name": Counter(r.normal or r.text for r in rows).most_common(1)[0][0][:500],
            "label": Counter(r.label for r in rows).most_common(1)[0][0],
            "mentions": len(rows),
            "articles": len({r.article_pk for r in rows}),
            "contexts": [context(texts[r.article_pk, r.section], r.start, r.end)
                         for r in _first_per_article(rows)
                         if (r.article_pk, r.section) in texts],
        } for key, rows in found.items() if rows}

    def _recount(self, keys: list[str], ahead: CountedAhead) -> None:
        found = self._mention_rows(keys)
        existing = {
            r.key: r
            for r in self.conn.execute(select(candidates).where(candidates.c.key.in_(keys)))
        }
        values: dict[str, dict[str, Any]] = {}
        for key in keys:
            rows, counted_ahead = ahead.get(key, (None, None))
            if counted_ahead is not None and rows == found[key]:
                values[key] = counted_ahead
        values.update(self._values({k: rows for k, rows in found.items() if k not in values}))
        gone: list[str] = []  # open candidates with no mention left
        emptied: list[str] = []  # decided ones: the decision outlives its evidence
        counted: list[dict[str, Any]] = []
        for key, rows in found.items():
            old = existing.get(key)
            if not rows:
                if old is not None and old.status == OPEN:
                    gone.append(key)
                elif old is not None and (old.mentions, old.articles) != (0, 0):
                    emptied.append(key)
                continue
            new = values[key]
            if old is None or any(getattr(old, column) != new[column] for column in _COUNTED):
                counted.append({"key": key, "status": OPEN, **new})
        # A few statements per chunk, not one per key: a batch's recount ran about
        # ninety, and on PostgreSQL it runs under the candidates lock.
        if gone:
            self.conn.execute(delete(candidates).where(candidates.c.key.in_(gone)))
        if emptied:
            self.conn.execute(update(candidates).where(candidates.c.key.in_(emptied))
                              .values(mentions=0, articles=0))
        # A new key goes in open; a known one (or one another writer added
        # meanwhile) keeps its status and decision, and its counts update.
        dialect.upsert_rows(self.conn, candidates, counted, ["key"], _COUNTED)

    def decide(self, key: str, status: str, entity_id: str | None, by: str | None,
               at: datetime) -> None:
        self.conn.execute(
            update(candidates).where(candidates.c.key == key)
            .values(status=status, entity_id=entity_id, decided_by=by, decided_at=at)
        )

    def link_key(self, key: str, entity_id: str) -> list[int]:
        """Point every unresolved mention under ``key`` at an entity; the articles touched."""
        pks = sorted(set(self.conn.execute(
            select(mentions.c.article_pk).where(mentions.c.candidate_key == key,
                                                mentions.c.entity_id.is_(None))
        ).scalars()))
        self.conn.execute(
            update(mentions).where(mentions.c.candidate_key == key, mentions.c.entity_id.is_(None))
            .values(entity_id=entity_id)
        )
        return pks


def resolve_links(found: list[tuple[str, int, str]],
                  merges: dict[str, str]) -> list[dict[str, Any]]:
    """Links under canonical ids: a merged cluster's counts summed, subject wins."""
    merged: dict[str, dict[str, Any]] = {}
    for entity_id, count, role in found:
        canonical = merges.get(entity_id, entity_id)
        known = merged.setdefault(canonical, {"id": canonical, "mentions": 0, "role": role})
        known["mentions"] += count
        if role == "subject":
            known["role"] = role
    return sorted(merged.values(), key=lambda x: (-x["mentions"], x["id"]))


def _first_per_article(rows: Sequence[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for row in rows:
        seen.setdefault(row.article_pk, row)
    return list(seen.values())[:CONTEXTS]


def _sample_articles(rows: Sequence[Any]) -> list[int]:
    return [r.article_pk for r in _first_per_article(rows)]


def _candidate(row: Any) -> Candidate:
    return Candidate(
        key=row.key, name=row.name, label=row.label, mentions=row.mentions,
        articles=row.articles, contexts=list(row.contexts or []), status=row.status,
        entity_id=row.entity_id, decided_by=row.decided_by, decided_at=row.decided_at,
    )
