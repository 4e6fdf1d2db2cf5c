"""Text handed to a statistical model, with the work per article bounded.

spaCy's tokenizer costs grow with the square of a whitespace-free stretch
that holds punctuation: 10,000 ">" took 6.6 s, 20,000 took 25 s, and
``"a>" * 4000`` (8,000 characters) 2.1 s on this machine; one 100 KB article
of such runs stalled an ingest for over ten minutes.  No name lives in such
stretches, so before NER:

- a run of more than :data:`KEEP_PUNCTUATION` non-word, non-space
  characters keeps only its first ones;
- a whitespace-free stretch keeps only its first :data:`LONGEST_TOKEN`
  characters (long URLs and glued junk);
- at most :data:`MAX_CHARS` characters of what remains are read, in pieces
  of about :data:`PIECE_CHARS` cut at a line or sentence end.

Removed characters are recorded, so every offset the model gives maps back
to the article's own body (:meth:`BoundedText.original`).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

KEEP_PUNCTUATION = 3
LONGEST_TOKEN = 64
PIECE_CHARS = 20_000
MAX_CHARS = 300_000
# Per article and model; an overrun keeps what was found and reports the rest unread.
BUDGET_SECONDS = 60.0

_PUNCTUATION_RUN = re.compile(rf"[^\w\s]{{{KEEP_PUNCTUATION + 1},}}")
_LONG_STRETCH = re.compile(rf"\S{{{LONGEST_TOKEN + 1},}}")
_BREAKS = ("\n\n", "\n", ". ", "! ", "? ", "; ", " ")


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of the bounded text, with where it starts in the bounded text."""

    start: int
    text: str


@dataclass(slots=True)
class BoundedText:
    """The article's body with junk stretches removed, and how to map back."""

    original_text: str
    text: str
    truncated: bool = False
    # The bounded text's position right after each removal, and the number of
    # characters removed up to and including it.
    _after: list[int] = field(default_factory=list)
    _removed: list[int] = field(default_factory=list)

    def original(self, position: int) -> int:
        """The body offset of a bounded-text offset (start or end of a span)."""
        i = bisect_right(self._after, position)
        return position + (self._removed[i - 1] if i else 0)

    def pieces(self, size: int = PIECE_CHARS) -> Iterator[Piece]:
        """The text in pieces of at most ``size`` characters, cut where a sentence ends."""
        start = 0
        while start < len(self.text):
            end = min(len(self.text), start + size)
            if end < len(self.text):
                end = _cut(self.text, start, end)
            yield Piece(start, self.text[start:end])
            start = end


def _cut(text: str, start: int, end: int) -> int:
    """The last break in the second half of [start, end), else ``end``."""
    for mark in _BREAKS:
        at = text.rfind(mark, start + (end - start) // 2, end)
        if at >= 0:
            return at + len(mark)
    return end


def _removals(text: str) -> list[tuple[int, int]]:
    """Merged, sorted [start, end) ranges to drop from ``text``."""
    ranges = [(m.start() + KEEP_PUNCTUATION, m.end()) for m in _PUNCTUATION_RUN.finditer(text)]
    ranges += [(m.start() + LONGEST_TOKEN, m.end()) for m in _LONG_STRETCH.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def bound(text: str, max_chars: int = MAX_CHARS) -> BoundedText:
    """The text a model may read in bounded time; see the module docstring."""
    kept: list[str] = []
    after: list[int] = []
    removed: list[int] = []
    position = length = total = 0
    for start, end in _removals(text):
        kept.append(text[position:start])
        length += start - position
        total += end - start
        after.append(length)
        removed.append(total)
        position = end
    kept.append(text[position:])
    short = "".join(kept)
    truncated = len(short) > max_chars
    if truncated:
        short = short[:_cut(short, 0, max_chars)]
    return BoundedText(text, short, truncated, after, removed)


class Entity(NamedTuple):
    """A model's span (offsets into the text it was given), label and normal form."""

    start: int
    end: int
    label: str
    normal: str | None = None


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much of one article a model may read, and for how long."""

    budget_seconds: float = BUDGET_SECONDS
    piece_chars: int = PIECE_CHARS
    max_chars: int = MAX_CHARS


def read_pieces(bounded: BoundedText, model: Callable[[str], Iterable[Entity]], *,
                budget_seconds: float = BUDGET_SECONDS, piece_chars: int = PIECE_CHARS,
                clock: Callable[[], float] = time.monotonic) -> tuple[list[Entity], str | None]:
    """Run ``model`` piece by piece: entities in body offsets, and what was left unread.

    The budget is checked between pieces, so one piece (bounded in size) is
    the most it can be overrun by; the entities found until then are kept.
    """
    found: list[Entity] = []
    started = clock()
    for piece in bounded.pieces(piece_chars):
        if piece.start and clock() - started > budget_seconds:
            return found, (f"time budget of {budget_seconds:g} s ran out: names after "
                           f"character {bounded.original(piece.start)} of "
                           f"{len(bounded.original_text)} were not searched")
        found.extend(e._replace(start=bounded.original(piece.start + e.start),
                                end=bounded.original(piece.start + e.end))
                     for e in model(piece.text))
    return found, unread(bounded)


def unread(bounded: BoundedText) -> str | None:
    """The warning for an article longer than a model reads, else None."""
    if not bounded.truncated:
        return None
    end = bounded.original(len(bounded.text))
    return (f"only the first {end} of {len(bounded.original_text)} characters were "
            "searched for names: the rest is beyond what a model reads per article")
