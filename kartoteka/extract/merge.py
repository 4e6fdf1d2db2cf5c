"""Merging the name mentions of several components into one set of spans.

An unlinked span that contains linked ones gives way to them: natasha's
«Армия освобождения Косова (АОК)» is two registry names, and spaCy's
"Sinaloa Cartel leader Joaquín Guzmán" is not one name.  Otherwise
overlapping mentions keep the longest span (the model's "Kosovo Liberation
Army" over a bare "Kosovo"); on the same span, a mention already linked to
an entity (the gazetteer's) beats an unlinked one (NER's), then the
gazetteer beats NER.  An unlinked mention that lies within a country word
is dropped: the country is in ``countries`` already, and "Serbia" would
otherwise flood the candidate list (or, after a title, pass for a person).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from kartoteka.extract.pipeline import NAME_LABELS, Document, ExtractionResult
from kartoteka.model import Mention

PRIORITY = {"gazetteer": 0, "ner_en": 1, "ner_ru": 1}


def _rank(mention: Mention) -> tuple[int, int, int, int]:
    return (mention.start - mention.end, mention.entity_id is None,
            PRIORITY.get(mention.component, 2), mention.start)


class _CountryWords:
    """Whether a span lies within a country word (countries never overlap)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]


class _HoldsLinked:
    """Whether a span contains a linked mention's span."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        # first_end[i]: the earliest end among spans from the i-th on
        self.first_end = list(accumulate(reversed([e for _, e in spans]), min))[::-1]

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, start)
        return i < len(self.starts) and self.first_end[i] <= end


def merge_mentions(mentions: list[Mention], countries: list[tuple[int, int]]) -> list[Mention]:
    """Non-overlapping name mentions in text order (other labels pass through)."""
    names = [m for m in mentions if m.label in NAME_LABELS]
    others = [m for m in mentions if m.label not in NAME_LABELS]
    within = _CountryWords(countries)
    names = [m for m in names if m.entity_id is not None or not within(m.start, m.end)]
    holds_linked = _HoldsLinked([(m.start, m.end) for m in names if m.entity_id is not None])
    names = [m for m in names if m.entity_id is not None or not holds_linked(m.start, m.end)]
    kept: list[Mention] = []
    starts: list[int] = []  # of kept mentions, which never overlap: so their
    ends: list[int] = []    # ends are sorted too, and neighbours tell overlaps
    for mention in sorted(names, key=_rank):
        i = bisect_right(starts, mention.start)
        if (i and ends[i - 1] > mention.start) or (i < len(starts) and starts[i] < mention.end):
            continue
        starts.insert(i, mention.start)
        ends.insert(i, mention.end)
        kept.append(mention)
    return sorted(kept + others, key=lambda m: (m.start, m.end))


class Merge:
    """The merging step, run after every mention-producing component."""

    name = "merge"
    produces = ("mentions",)

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        result.mentions = merge_mentions(result.mentions,
                                         [(c.start, c.end) for c in result.countries])
