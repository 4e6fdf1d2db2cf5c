"""Parse a user's search query into terms both search backends can render.

The grammar is what users type into search boxes: bare words (all must
match), ``"quoted phrases"``, ``prefix*`` and ``-excluded`` words.  Anything
else (operators, brackets, punctuation) is treated as a word separator, so
no input can produce a syntax error in FTS5 or ``to_tsquery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kartoteka.text.normalize import fold

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Term:
    """Folded words: several words form a phrase; ``prefix`` applies to the last."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def is_empty(self) -> bool:
        return not self.positive


def parse_query(text: str) -> ParsedQuery:
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        if match.group(2) is not None:
            words = tuple(_WORD.findall(fold(match.group(2))))
            if words:
                terms.append(Term(words, negated=bool(match.group(1))))
            continue
        raw = match.group(4)
        negated = bool(match.group(3))
        prefix = raw.endswith("*")
        words = tuple(_WORD.findall(fold(raw)))
        # "al-Qaeda" or "U.S." inside a bare token is a phrase of its parts.
        if words:
            terms.append(Term(words, prefix=prefix, negated=negated))
    return ParsedQuery(tuple(terms))
