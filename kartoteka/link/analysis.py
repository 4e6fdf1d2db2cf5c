"""Turn a name into tokens that know their spellings and their role.

A token's role decides how much it counts when two names are compared: a
connector ("al", "de") counts for nothing, a class noun ("army", "jabhat")
and a place little, an initial or a distinctive word a lot.  Parenthesised
and dash-separated parts of a name ("Tamil Tigers (LTTE)") are also kept as
forms of their own, since they are usually an alias or a qualifier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import cache, lru_cache
from itertools import count

import pycountry

from kartoteka.link.romanise import skeleton, spellings
from kartoteka.link.vocabulary import (
    CONCEPTS,
    CONNECTORS,
    EXPANSIONS,
    EXTRA_PLACES,
    PARTICLES,
    TITLES,
)

_APOSTROPHES = re.compile(r"[’'ʼʻ`‘ʿʾ′]")
_DOTTED_ACRONYM = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.){2,})")
_WORD = re.compile(r"[^\W_]+")
# "Abd al-Rauf", "Abdel Raouf", "Abdul Rauf", "Abdurrauf": "servant of" and the
# article are written apart, joined or assimilated; one joined spelling for all
# ("Abdalrauf"), so the name is one token on every side.
_ABD_PREFIX = re.compile(r"\b[Aa]bd(?:[ -]?(?:al|el|ul|ol|u)[ -]?|[ -])(?=[^\W\d_])")
_SEGMENT_BREAK = re.compile(r"[()\[\]{};/|]|\s[-–—]\s|[–—]")
_SERIALS = count(1)
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_EXPANDABLE = re.compile(r"(?<![^\W_])(" + "|".join(sorted(EXPANSIONS, key=len, reverse=True))
                         + r")(?![^\W_])")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, with every spelling it may be written in."""

    text: str
    spellings: tuple[str, ...]
    skeleton: str
    spellings_set: frozenset[str]
    key: str  # the identity used for equality: a concept for class nouns, else the spelling
    concept: str | None = None
    connector: bool = False
    particle: bool = False
    title: bool = False
    place: bool = False
    initial: bool = False
    acronym: bool = False
    # Unique per token object, never reused: a cheap key for memoising comparisons.
    serial: int = field(default_factory=_SERIALS.__next__, compare=False, repr=False)

    def __reduce__(self) -> tuple[type[Token], tuple[object, ...]]:
        """Unpickled, a token takes a serial of this process, never a stale one."""
        return Token, tuple(getattr(self, f.name) for f in fields(self) if f.name != "serial")


@dataclass(frozen=True, slots=True)
class AnalysedName:
    text: str
    tokens: tuple[Token, ...]

    @property
    def acronym(self) -> str | None:
        """The letters of a name that is a single acronym ("FARC", "J.N.I.M.")."""
        if len(self.tokens) == 1 and self.tokens[0].acronym:
            return self.tokens[0].spellings[0]
        return None


@dataclass(frozen=True, slots=True)
class _Lexicon:
    connectors: frozenset[str]
    particles: frozenset[str]
    titles: frozenset[str]
    places: frozenset[str]
    concepts: dict[str, str]


def _main_spelling(word: str) -> str:
    found = spellings(word.casefold())
    return found[0] if found else ""


def _place_words() -> set[str]:
    """Single-word country names and the demonyms regularly derived from them."""
    names: set[str] = set(EXTRA_PLACES)
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and " " not in value and "," not in value:
                names.add(value.casefold())
    places: set[str] = set()
    for name in names:
        places.update({name, name + "n", name + "i", name + "ese", name + "ian"})
        if name.endswith(("a", "e", "y")):
            places.update({name[:-1] + "an", name[:-1] + "ian"})
        if name.endswith("ia") and len(name) >= 6:
            places.add(name[:-2])
    return {_main_spelling(place) for place in places}


@cache
def lexicon() -> _Lexicon:
    """The vocabulary folded like names are; built once, on first use."""
    concepts: dict[str, str] = {}
    for concept, words in CONCEPTS.items():
        for word in words:
            concepts.setdefault(_main_spelling(word), concept)
    return _Lexicon(
        connectors=frozenset(_main_spelling(w) for w in CONNECTORS),
        particles=frozenset(_main_spelling(w) for w in PARTICLES),
        titles=frozenset(_main_spelling(w) for w in TITLES),
        places=frozenset(_place_words()),
        concepts=concepts,
    )


@lru_cache(maxsize=500_000)
def _token(word: str, dotted: bool, lemmas: bool) -> Token | None:
    """One token; tokens are immutable, so equal words share one object."""
    lex = lexicon()
    forms = spellings(word.casefold(), lemmas)
    if not forms:
        return None
    main = forms[0]
    initial = len(word) == 1 and word.isalpha() and (dotted or word.isupper())
    acronym = (not initial) and word.isalpha() and word.isupper() and 2 <= len(word) <= 6
    concept = next((lex.concepts[f] for f in forms if f in lex.concepts), None)
    concept = None if acronym else concept
    return Token(
        text=word,
        spellings=forms,
        skeleton=skeleton(main),
        spellings_set=frozenset(forms),
        key=f"#{concept}" if concept else main,
        concept=concept,
        connector=not initial and not acronym and main in lex.connectors,
        particle=main in lex.particles,
        title=main in lex.titles,
        place=not acronym and main in lex.places,
        initial=initial,
        acronym=acronym,
    )


def _tokens(text: str, lemmas: bool = True) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for found in _WORD.finditer(text):
        word = found.group(0)
        dotted = text[found.end() : found.end() + 1] == "."
        # A Chinese name is written without spaces: surname, then given name, as
        # romanised ("王小明" / "Wang Xiaoming").
        words = [word[0], word[1:]] if _HAN_NAME.fullmatch(word) else [word]
        for part in words:
            token = _token(part, dotted, lemmas)
            if token is not None:
                tokens.append(token)
    if len(tokens) > 1 and tokens[-1].connector:
        # A connector joins words; one that ends a name is a word of it ("Kim Jong Un").
        tokens[-1] = _word_token(tokens[-1])
    return tuple(tokens)


@lru_cache(maxsize=1_000)
def _word_token(token: Token) -> Token:
    """``token`` as a word, not a connector; one object per token, as tokens are interned."""
    return replace(token, connector=False, serial=next(_SERIALS))


def _prepare(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    text = _APOSTROPHES.sub("", text)
    text = _ABD_PREFIX.sub("Abdal", text)
    if _EXPANDABLE.search(text) and len(_WORD.findall(text)) > 1:
        text = _EXPANDABLE.sub(lambda m: EXPANSIONS[m.group(1)], text)
    return _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", "").upper() + " ", text)


def analyse(name: str) -> AnalysedName:
    return AnalysedName(name, _tokens(_prepare(name)))


def name_forms(name: str, parts: bool = True, lemmas: bool = True) -> list[AnalysedName]:
    """The whole name, then its bracketed or dash-separated parts.

    A query's parts are each a form ("Tamil Tigers (LTTE)"); a registry name
    (``parts=False``) keeps only its leading part, since what follows is
    usually a qualifier ("National Liberation Army (Colombia)") and not a name
    on its own.  Parts made only of places are never forms.  ``lemmas`` asks
    for Russian dictionary forms (see :func:`spellings`).
    """
    text = _prepare(name)
    forms = [AnalysedName(name, _tokens(text, lemmas))]
    pieces = [piece for piece in _SEGMENT_BREAK.split(text) if piece.strip()]
    if len(pieces) > 1:
        for piece in pieces if parts else pieces[:1]:
            tokens = _tokens(piece, lemmas)
            if tokens and not all(t.place or t.connector for t in tokens):
                forms.append(AnalysedName(piece.strip(), tokens))
    return [form for form in forms if form.tokens]
