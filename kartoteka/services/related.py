"""Related materials: other articles about the same thing, each with its reasons.

Four signals, each scaled to 0..1 and combined with fixed weights:

* shared linked entities, each weighted by its rarity (IDF over article-entity
  links), as a share of all the article's entity weight: sharing a rare
  commander says more than sharing "NATO";
* text: the article's most distinctive words (high in the article, rare in
  the collection) are sent to the search index as one "any of these" query;
  a candidate's BM25 score is scaled by the article's own score for it;
* the same country;
* recency: close publication dates, fading over a year.

Candidates come from the first two signals only; country and date alone do
not make an article related.  The article itself, its original, reposts
(hidden from readers anyway), drafts and deleted articles are never returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from kartoteka.catalog.countries import country_name
from kartoteka.store.database import Database
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.related import ArticleFacts, RelatedStore
from kartoteka.text.terms import term_counts

WEIGHTS = {"entities": 0.5, "text": 0.3, "country": 0.1, "recency": 0.1}
QUERY_TERMS = 12  # distinctive words sent to the index
LOOKED_UP_TERMS = 40  # most frequent words whose collection frequency is looked up
COMMON_SHARE = 0.05  # a word in more than this share of articles is not distinctive
MIN_COMMON = 20  # ...but in a small collection a word needs this many articles to be common
TEXT_CANDIDATES = 50
ENTITY_CANDIDATES = 200
SIMILAR_TEXT = 0.2  # text signal from which "similar text" is given as a reason
RECENT_DAYS = 30
RECENCY_SPAN_DAYS = 365
SHARED_NAMES_SHOWN = 3


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(
            f"no article with id {article_id!r}: check the id (`kartoteka list` shows ids)"
        )
        self.article_id = article_id


@dataclass(slots=True)
class RelatedArticle:
    id: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "score": self.score,
                "reasons": list(self.reasons)}


@dataclass(slots=True)
class _Signals:
    entities: float = 0.0
    shared: list[str] = field(default_factory=list)
    text: float = 0.0


def related_articles(db: Database, article_id: str, limit: int = 5) -> list[RelatedArticle]:
    """Up to ``limit`` related articles, best first, each with its reasons."""
    with db.read() as conn:
        store = RelatedStore(conn)
        article = store.article(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        total = max(store.article_count(), 1)
        signals: dict[int, _Signals] = {}
        _entity_signal(store, article, total, signals)
        _text_signal(store, article, total, signals)
        excluded = {article.pk}
        candidates = store.visible([pk for pk in signals if pk not in excluded])
        ranked = [
            (_combine(article, facts, signals[pk]), facts)
            for pk, facts in candidates.items()
            if facts.id != article.original_id
        ]
        ranked.sort(key=lambda item: (-item[0], item[1].id))
        top = ranked[:limit]
        names = _entity_names(RegistryRepository(conn), {
            e for _, facts in top for e in signals[facts.pk].shared
        })
    return [
        RelatedArticle(facts.id, facts.title, round(score, 4),
                       _reasons(article, facts, signals[facts.pk], names))
        for score, facts in top
    ]


def _entity_signal(
    store: RelatedStore, article: ArticleFacts, total: int, signals: dict[int, _Signals]
) -> None:
    if not article.entities:
        return
    idf = {e: math.log(1 + total / max(n, 1))
           for e, n in store.entity_frequencies(article.entities).items()}
    whole = sum(idf.values()) or 1.0
    scored = []
    for pk, shared in store.sharing(article.entities).items():
        if pk == article.pk:
            continue
        weight = sum(idf.get(e, 0.0) for e in shared)
        scored.append((weight, pk, shared))
    scored.sort(key=lambda item: (-item[0], item[1]))
    for weight, pk, shared in scored[:ENTITY_CANDIDATES]:
        signal = signals.setdefault(pk, _Signals())
        signal.entities = weight / whole
        signal.shared = sorted(shared, key=lambda e: (-idf.get(e, 0.0), e))


def distinctive_words(store: RelatedStore, article: ArticleFacts, total: int) -> list[str]:
    """The article's words that are frequent in it and rare elsewhere, best first."""
    counts = term_counts(article.title, article.body)
    frequent = [w for w, _ in counts.most_common(LOOKED_UP_TERMS) if "_" not in w]
    cap = max(MIN_COMMON, int(total * COMMON_SHARE))
    document_counts = store.document_counts(frequent, cap)
    weighted = []
    for word in frequent:
        df = document_counts.get(word, 0)
        if df < 2 or df >= cap:  # only this article has it, or almost every article does
            continue
        weighted.append((counts[word] * math.log(total / df), word))
    weighted.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in weighted[:QUERY_TERMS]]


def _text_signal(
    store: RelatedStore, article: ArticleFacts, total: int, signals: dict[int, _Signals]
) -> None:
    hits = store.similar_text(distinctive_words(store, article, total), TEXT_CANDIDATES + 1)
    if not hits:
        return
    own = next((score for pk, score in hits if pk == article.pk), None)
    scale = own if own and own > 0 else max(score for _, score in hits)
    for pk, score in hits:
        if pk != article.pk and scale > 0:
            signals.setdefault(pk, _Signals()).text = min(1.0, max(0.0, score / scale))


def _days_apart(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return abs((a - b).total_seconds()) / 86400


def _combine(article: ArticleFacts, other: ArticleFacts, signal: _Signals) -> float:
    country = 1.0 if set(article.countries) & set(other.countries) else 0.0
    days = _days_apart(article.published_at, other.published_at)
    recency = 0.0 if days is None else max(0.0, 1 - days / RECENCY_SPAN_DAYS)
    return (WEIGHTS["entities"] * signal.entities + WEIGHTS["text"] * signal.text
            + WEIGHTS["country"] * country + WEIGHTS["recency"] * recency)


def _entity_names(registry: RegistryRepository, ids: set[str]) -> dict[str, str]:
    names = {}
    for entity_id in sorted(ids):
        entity = registry.entity(entity_id)
        names[entity_id] = entity.name if entity is not None else entity_id
    return names


def _reasons(
    article: ArticleFacts, other: ArticleFacts, signal: _Signals, names: dict[str, str]
) -> list[str]:
    reasons = []
    if signal.shared:
        shown = list(dict.fromkeys(names.get(e, e) for e in signal.shared))
        more = len(shown) - SHARED_NAMES_SHOWN
        text = ", ".join(shown[:SHARED_NAMES_SHOWN]) + (f" and {more} more" if more > 0 else "")
        reasons.append(f"shares: {text}")
    common = [c for c in article.countries if c in other.countries]
    if common:
        reasons.append("same country: " + ", ".join(country_name(c) for c in common))
    if signal.text >= SIMILAR_TEXT:
        reasons.append("similar text")
    days = _days_apart(article.published_at, other.published_at)
    if days is not None and days <= RECENT_DAYS:
        reasons.append(f"published within {RECENT_DAYS} days")
    return reasons
