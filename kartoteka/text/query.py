"""Parse a user's search query into terms both search backends can render.

The grammar is what users type into search boxes: bare words (all must
match), ``"quoted phrases"``, ``prefix*`` and ``-excluded`` words.  Anything
else (operators, brackets, punctuation) is treated as a word separator, so
no input can produce a syntax error in FTS5 or ``to_tsquery``.

What each kind of term matches (see :mod:`kartoteka.text.search_forms`):

* a bare word matches every form of it: its stem in articles in a language
  we stem, its folded form in the others (``Ливия`` finds ``Ливии``);
* a quoted word or phrase matches those exact forms only (``"Косова"``),
  folded for case and diacritics;
* ``prefix*`` matches words beginning so, as written (not stemmed);
* a hyphenated or dotted token ("al-Qaeda") is a phrase of its parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kartoteka.text.search_forms import exact_forms, query_words
from kartoteka.text.stemming import query_stems
from kartoteka.text.terms import STOPWORDS

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# Function words nearly every article has: text.terms' list (which skips words
# under three letters, too short for related articles to count) and the short ones.
FUNCTION_WORDS = STOPWORDS | frozenset(
    "a an as at be by do if in is it no of on or so to up а в и к о с у я".split()
)


@dataclass(frozen=True, slots=True)
class Term:
    """Words in their exact (folded) form: several form a phrase; ``prefix``
    applies to the last.  ``exact`` terms were quoted and are not stemmed.
    ``typed`` holds the words as written, which the stemmers need: the
    stemmer is chosen by the word's script before any folding."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False
    exact: bool = False
    typed: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def stemmed(self) -> bool:
        """Matched by stem: a bare word or hyphenated token, not a prefix."""
        return not self.exact and not self.prefix

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(query_stems(self.typed or self.words))

    @property
    def is_stopword(self) -> bool:
        """A bare function word ("the", «и»): in nearly every article."""
        return self.stemmed and len(self.words) == 1 and self.words[0] in FUNCTION_WORDS


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def is_empty(self) -> bool:
        return not self.positive

    @property
    def only_stopwords(self) -> bool:
        """Every word a function word: the query would match almost everything."""
        return bool(self.positive) and all(t.is_stopword for t in self.positive)

    def without_stopwords(self) -> ParsedQuery:
        """Drop bare function words, which would only slow the search down.

        Quoted phrases keep theirs ("Army of the Republic").  A query of
        nothing but function words stays as it is: see ``only_stopwords``.
        """
        if self.only_stopwords:
            return self
        return ParsedQuery(tuple(t for t in self.terms if not t.is_stopword))

    def without(self, positions: set[int]) -> ParsedQuery:
        """The query with the terms at ``positions`` left out."""
        return ParsedQuery(tuple(t for i, t in enumerate(self.terms) if i not in positions))


def parse_query(text: str) -> ParsedQuery:
    terms: list[Term] = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", text)):
        if match.group(2) is not None:
            typed = query_words(match.group(2))
            if typed:
                terms.append(
                    Term(tuple(exact_forms(typed)), negated=bool(match.group(1)), exact=True,
                         typed=tuple(typed))
                )
            continue
        raw = match.group(4)
        typed = query_words(raw)
        # "al-Qaeda" or "U.S." inside a bare token is a phrase of its parts.
        if typed:
            terms.append(
                Term(tuple(exact_forms(typed)), prefix=raw.endswith("*"),
                     negated=bool(match.group(3)), typed=tuple(typed))
            )
    return ParsedQuery(tuple(terms))
