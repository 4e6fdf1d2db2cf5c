"""Related materials: other articles about the same thing, each with its reasons.

Four signals, each scaled to 0..1 and combined with fixed weights:

* shared linked entities, each weighted by its rarity (IDF over article-entity
  links), as a share of all the article's entity weight: sharing a rare
  commander says more than sharing "NATO";
* text: the article's story terms (its heaviest stems, see
  ``kartoteka.text.story_terms``) weighed by rarity, with document
  frequencies from the counts kept on write (``story_term_counts``), and
  the share of their weight that a candidate contains;
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

from kartoteka.catalog.countries import country_name_in
from kartoteka.i18n import Message, current_language
from kartoteka.record import as_record
from kartoteka.store.database import Database
from kartoteka.store.related import ArticleFacts, RelatedStore

WEIGHTS = {"entities": 0.5, "text": 0.3, "country": 0.1, "recency": 0.1}
COMMON_SHARE = 0.05  # a word in more than this share of articles is not distinctive,
MIN_COMMON = 20  # in a small collection not before this many articles,
MAX_COMMON = 500  # and in a large one always from this many
TEXT_CANDIDATES = 40
ENTITY_CANDIDATES = 100
COMMON_ENTITY_SHARE = 0.02  # entities linked to more articles than this do not nominate...
MIN_COMMON_LINKS = 500  # ...unless they have no more links than this
ENTITY_COUNT_CAP = 5  # links are counted up to this many times "common": IDF is flat there
SHORTLIST = 30  # candidates, by entity and text signal, that country and recency may reorder
SIMILAR_TEXT = 0.2  # text signal from which "similar text" is given as a reason
SAME_STORY = 0.25  # and from which it is another report of the same story (see bench/data),
SAME_STORY_DAYS = 7  # if published this close (or either date unknown): news is reported at once
TEXT_ALONE = 0.1  # with no shared entity or country, less text than this is chance,
WORDS_ALONE = 2  # and so are fewer shared distinctive words than this
RECENT_DAYS = 30
RECENCY_SPAN_DAYS = 365
SHARED_NAMES_SHOWN = 3


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(
            Message(
                "no article with id %(id)r: check the id (`kartoteka list` shows ids)",
                id=article_id,
            )
        )
        self.article_id = article_id


@dataclass(slots=True)
class RelatedArticle:
    id: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    text_overlap: float = 0.0  # the text signal, 0..1: stems shared, weighed by rarity

    def as_dict(self) -> dict[str, object]:
        return as_record(self)


@dataclass(slots=True)
class _Signals:
    entities: float = 0.0
    shared: list[str] = field(default_factory=list)
    text: float = 0.0
    words: list[str] = field(default_factory=list)  # shared distinctive words, heaviest first


def related_articles(db: Database, article_id: str, limit: int = 5) -> list[RelatedArticle]:
    """Up to ``limit`` related articles, best first, each with its reasons."""
    with db.read() as conn:
        store = RelatedStore(conn)
        article = store.article(article_id)
        if article is None:
            raise ArticleNotFound(article_id)
        total = max(store.article_count(), 1)
        common = max(MIN_COMMON_LINKS, int(total * COMMON_ENTITY_SHARE))
        frequencies = store.entity_frequencies(article.entities, ENTITY_COUNT_CAP * common)
        idf = {e: math.log(1 + total / max(frequencies.get(e, 1), 1)) for e in article.entities}
        rare = {e for e in article.entities if frequencies.get(e, 0) <= common}
        whole = sum(idf.values()) or 1.0
        signals: dict[int, _Signals] = {}
        for pk, weight in _entity_candidates(store, article, rare, idf):
            signals[pk] = _Signals(entities=weight / whole)
        looked_up = _text_signal(store, article, total, signals)
        signals.pop(article.pk, None)
        # Ranked by rare entities and text; the shortlist then gets its exact entity
        # share and its shared words (only the shortlist is ever judged or shown).
        shortlist = sorted(signals, key=lambda pk: (-_partial(signals[pk]), pk))[:SHORTLIST]
        _score_entities(store, article, idf, {pk: signals[pk] for pk in shortlist})
        _name_words(store, looked_up, {pk: signals[pk] for pk in shortlist})
        candidates = store.visible(shortlist)
        ranked = [
            (_combine(article, facts, signals[pk]), facts)
            for pk, facts in candidates.items()
            if facts.id != article.original_id and _enough(article, facts, signals[pk])
        ]
        ranked.sort(key=lambda item: (-item[0], item[1].id))
        top = ranked[:limit]
        names = store.entity_names({e for _, facts in top for e in signals[facts.pk].shared})
    return [
        RelatedArticle(facts.id, facts.title, round(score, 4),
                       _reasons(article, facts, signals[facts.pk], names),
                       round(signals[facts.pk].text, 2))
        for score, facts in top
    ]


def _entity_candidates(
    store: RelatedStore, article: ArticleFacts, rare: set[str], idf: dict[str, float]
) -> list[tuple[int, float]]:
    """Articles sharing the article's rarer entities, most shared weight first.

    Entities linked to a large share of the collection are left out here (they
    would bring thousands of rows and add little weight); they still count in
    the score of every shortlisted candidate.
    """
    return store.heaviest_sharing({e: idf[e] for e in rare}, article.pk, ENTITY_CANDIDATES)


def _score_entities(
    store: RelatedStore, article: ArticleFacts, idf: dict[str, float],
    signals: dict[int, _Signals],
) -> None:
    whole = sum(idf.values()) or 1.0
    for pk, shared in store.shared_with(list(signals), article.entities).items():
        signal = signals[pk]
        signal.entities = sum(idf[e] for e in shared) / whole
        signal.shared = sorted(shared, key=lambda e: (-idf[e], e))


def _partial(signal: _Signals) -> float:
    return WEIGHTS["entities"] * signal.entities + WEIGHTS["text"] * signal.text


def _text_signal(
    store: RelatedStore, article: ArticleFacts, total: int, signals: dict[int, _Signals]
) -> dict[str, float]:
    """Each article's overlap with this one's story terms (0..1), by rarity.

    Cosine-like: the sum over shared stems of idf² times both weights, over
    the article's own sum (its stems that only it has count there too, so a
    partner that shares them all scores 1).  Stems in more than the common
    share of the collection are left out of both: they say nothing.  Returns
    the weights of the stems looked up (see ``_name_words``).
    """
    terms = store.story_terms(article.pk)
    cap = min(max(MIN_COMMON, int(total * COMMON_SHARE)), MAX_COMMON)
    counts = store.term_frequencies(terms, cap + 1)
    idf = {t: math.log(1 + total / max(counts.get(t, 1), 1)) for t in terms
           if counts.get(t, 1) <= cap}
    whole = sum((idf[t] * terms[t]) ** 2 for t in idf)
    looked_up = {t: idf[t] ** 2 * terms[t] for t in idf if counts.get(t, 1) >= 2}
    if not whole or not looked_up:
        return {}
    for pk, weight in store.heaviest_overlap(looked_up, article.pk, TEXT_CANDIDATES):
        signal = signals.setdefault(pk, _Signals())
        signal.text = min(1.0, weight / whole)
    return looked_up


def _name_words(
    store: RelatedStore, looked_up: dict[str, float], signals: dict[int, _Signals]
) -> None:
    """The looked-up stems each article shares, heaviest first."""
    shared = store.terms_shared(list(signals), looked_up)
    for pk, signal in signals.items():
        signal.words = sorted(shared.get(pk, ()), key=lambda t: (-looked_up[t], t))


def _enough(article: ArticleFacts, other: ArticleFacts, signal: _Signals) -> bool:
    """A word or two in common, and nothing else, is chance, not a relation."""
    if signal.shared or set(article.countries) & set(other.countries):
        return True
    return signal.text >= TEXT_ALONE and len(signal.words) >= WORDS_ALONE


def _days_apart(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return abs((a - b).total_seconds()) / 86400


def _combine(article: ArticleFacts, other: ArticleFacts, signal: _Signals) -> float:
    country = 1.0 if set(article.countries) & set(other.countries) else 0.0
    days = _days_apart(article.published_at, other.published_at)
    recency = 0.0 if days is None else max(0.0, 1 - days / RECENCY_SPAN_DAYS)
    score = (WEIGHTS["entities"] * signal.entities + WEIGHTS["text"] * signal.text
             + WEIGHTS["country"] * country + WEIGHTS["recency"] * recency)
    # Another report of the same event comes before everything merely on the
    # same subject: sharing the group named in passing is no match for it.
    return (1 + score) / 2 if _same_story(article, other, signal) else score / 2


def _same_story(article: ArticleFacts, other: ArticleFacts, signal: _Signals) -> bool:
    """Much the same rare stems, days apart: two articles on one subject a year
    apart share stems too, but are not two reports of one event."""
    days = _days_apart(article.published_at, other.published_at)
    return signal.text >= SAME_STORY and (days is None or days <= SAME_STORY_DAYS)


class _CountryNames:
    """Country names for a reason, written in whatever language it is shown in."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes

    def __str__(self) -> str:
        return ", ".join(country_name_in(c, current_language()) for c in self.codes)


def _reasons(
    article: ArticleFacts, other: ArticleFacts, signal: _Signals, names: dict[str, str]
) -> list[str]:
    reasons: list[str] = []
    if signal.shared:
        shown = list(dict.fromkeys(names.get(e, e) for e in signal.shared))
        more = len(shown) - SHARED_NAMES_SHOWN
        text = ", ".join(shown[:SHARED_NAMES_SHOWN])
        if more > 0:
            reasons.append(Message("shares: %(names)s and %(more)s more", names=text, more=more))
        else:
            reasons.append(Message("shares: %(names)s", names=text))
    common = [c for c in article.countries if c in other.countries]
    if common:
        reasons.append(Message("same country: %(countries)s", countries=_CountryNames(common)))
    if _same_story(article, other, signal):
        overlap = f"{signal.text:.2f}"
        reasons.append(Message("same story: %(overlap)s text overlap", overlap=overlap))
    elif signal.text >= SIMILAR_TEXT:
        reasons.append(Message("similar text"))
    days = _days_apart(article.published_at, other.published_at)
    if days is not None and days <= RECENT_DAYS:
        reasons.append(Message("published within %(days)s days", days=RECENT_DAYS))
    if not reasons and signal.words:
        # Weak text overlap alone: name the words, so the reader can judge it.
        words = ", ".join(signal.words[:SHARED_NAMES_SHOWN])
        reasons.append(Message("shared words: %(words)s", words=words))
    return reasons


def related_to_shown(db: Database, article_id: str, limit: int = 5) -> list[RelatedArticle]:
    """``related_articles`` for an article the viewer was already allowed to see.

    A soft-deleted article, which only an admin sees, takes part in no
    related reads: it has none, rather than being "not found" on its own page.
    """
    try:
        return related_articles(db, article_id, limit)
    except ArticleNotFound:
        return []
