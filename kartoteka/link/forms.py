"""Parts of a name that are not its words: legal forms, numbers, qualifiers.

Before two names are aligned word by word, each is split into

- its *legal forms* ("AG", "Aktiengesellschaft", "OAO", "Open Joint Stock
  Company"), read with rigour's maintained table and reduced to a generic form
  ("jsc", "llc"), so that spelling a form out or abbreviating it changes nothing;
- its *numbers*, in digits or in English words ("Brigade 44", "Brigade Forty
  4"), and codes that mix letters and digits ("AR16");
- its *qualifiers*: a bracketed part that is not an abbreviation of the rest
  ("Bank of China (Hong Kong)"), which names a branch or a place;
- and what is left: the name proper.

Numbers and qualifiers change identity; legal forms almost never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import extract_org_types, remove_org_types

from kartoteka.link.romanise import fold, to_latin

_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_WORD = re.compile(r"[^\W_]+")
_HAS_DIGIT = re.compile(r"\d")
_UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
# "one" alone is too often a word ("One Nation"); it counts only inside a number.
_ALONE_NOT_NUMBER = frozenset({"zero", "one"})
_WORD_VALUES = {**_UNITS, **_TENS}
_NUMBER_WORD = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
    + r")(?![^\W\d_])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name taken apart: the words that identify it and what qualifies them."""

    core: str
    legal_forms: frozenset[str]
    numbers: frozenset[str]
    qualifiers: frozenset[str]


MAX_NUMBER_DIGITS = 18


def _number_words(words: list[str]) -> tuple[list[str], list[str]]:
    """(numbers, other words): runs like "forty 4" or "forty-four" become "44"."""
    numbers: list[str] = []
    rest: list[str] = []
    run: list[int] = []

    def close() -> None:
        if run:
            numbers.append(str(sum(run)))
            run.clear()

    for at, word in enumerate(words):
        low = word.casefold()
        following = words[at + 1].casefold() if at + 1 < len(words) else ""
        if low == "hundred" and run:
            run[-1] *= 100
            continue
        if low == "and" and run and run[-1] % 100 == 0 and following in _WORD_VALUES:
            continue  # "one hundred and six"
        value = _WORD_VALUES.get(low)
        # isdecimal, not isdigit: "¹" and "①" are digits int() refuses; and a run of
        # thousands of digits is a code, not a number (int() refuses those too).
        if word.isdecimal() and len(word) <= MAX_NUMBER_DIGITS:
            value = int(word)
        if value is not None and (run or low not in _ALONE_NOT_NUMBER or following == "hundred"):
            if run and not (run[-1] % 10 == 0 and value < run[-1] and (
                    run[-1] >= 20 or (value < 10 and run[-1] >= 100))):
                close()
            run.append(value)
            continue
        close()
        if _HAS_DIGIT.search(word):
            numbers.append(to_latin(word))  # a code: "AR16", "2005AR16"
        else:
            rest.append(word)
    close()
    return numbers, rest


def _initials(text: str) -> str:
    return "".join(w[0] for w in _WORD.findall(text) if len(w) > 2 or w[0].isupper()).upper()


@lru_cache(maxsize=100_000)
def name_parts(name: str, organisation: bool = True) -> NameParts:
    """Take a name apart; a person's name has no legal form to remove."""
    qualifiers: set[str] = set()
    core = name
    for found in _BRACKETED.finditer(name):
        inside = (found.group(1) or found.group(2) or "").strip()
        outside = _BRACKETED.sub(" ", name)
        compact = inside.replace(".", "").replace(" ", "")
        if compact.isupper() and compact.isalpha() and (
            _initials(outside).startswith(compact) or len(compact) <= 6
        ):
            continue  # "Tamil Tigers (LTTE)": an abbreviation, part of the name
        if inside:
            qualifiers.add(" ".join(fold(to_latin(w)) for w in _WORD.findall(inside)))
        core = core.replace(found.group(0), " ")
    forms: frozenset[str] = frozenset()
    if organisation:
        found_forms = _edge_forms(core)
        if found_forms:
            stripped = remove_org_types(core, replacement=" ")
            if _WORD.search(stripped):
                core, forms = stripped, found_forms
    numbers, words = _number_words(_WORD.findall(core.replace("-", " ")))
    if numbers:
        core = " ".join(words)
    return NameParts(" ".join(core.split()), forms, frozenset(numbers), frozenset(qualifiers))


@lru_cache(maxsize=100_000)
def without_legal_form(name: str) -> str:
    """The name without a legal form at its start or end ("Deutsche Bank AG" ->
    "Deutsche Bank"); the name itself when it has none or is nothing else."""
    if not _edge_forms(name):
        return name
    stripped = " ".join(remove_org_types(name, replacement=" ").split())
    return stripped if _WORD.search(stripped) else name


def _edge_forms(text: str) -> frozenset[str]:
    """Generic legal forms found at the start or end of a name.

    In the middle of a name a form's letters are usually a word of it: "Iyad
    Ag Ghaly" is a person, not a stock company.
    """
    words = _WORD.findall(text)
    if len(words) < 2:
        return frozenset()
    found = set()
    lowered = [w.casefold() for w in words]
    for matched, generic in extract_org_types(text, generic=True):
        plain = "".join(_WORD.findall(matched)).casefold()
        if any(plain in ("".join(lowered[:k]), "".join(lowered[-k:])) for k in range(1, 6)):
            found.add(generic)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class IdentityMarks:
    """What in a name picks out one of several alike bodies: numbers and qualifiers.

    "Brigade 44" is not "Brigade 45"; "Bank of China (Hong Kong)" is not "Bank of
    China (Singapore)".  Cheaper than :func:`name_parts` (no legal forms), for
    the matcher, which reads every registry name.
    """

    numbers: frozenset[str] = frozenset()
    qualifiers: frozenset[str] = frozenset()

    def conflict(self, other: IdentityMarks, qualifiers: frozenset[str] | None = None) -> bool:
        """Both have numbers, or both qualifiers, and they differ.

        ``qualifiers`` may widen ``other``'s to every name of its entity: one
        name with the branch's place is enough to tell the branch apart.
        """
        theirs = other.qualifiers if qualifiers is None else qualifiers
        return bool(
            (self.numbers and other.numbers and self.numbers != other.numbers)
            or (self.qualifiers and theirs and self.qualifiers.isdisjoint(theirs))
        )


NO_MARKS = IdentityMarks()


def identity_marks(name: str) -> IdentityMarks:
    if not (_HAS_DIGIT.search(name) or "(" in name or "[" in name or _has_number_word(name)):
        return NO_MARKS
    qualifiers = set()
    for found in _BRACKETED.finditer(name):
        inside = (found.group(1) or found.group(2) or "").strip()
        compact = inside.replace(".", "").replace(" ", "")
        if inside and not (compact.isupper() and compact.isalpha() and len(compact) <= 6):
            qualifiers.add(" ".join(fold(to_latin(w)) for w in _WORD.findall(inside)))
    core = _BRACKETED.sub(" ", name)
    numbers, _ = _number_words(_WORD.findall(core.replace("-", " ")))
    if not numbers and not qualifiers:
        return NO_MARKS
    return IdentityMarks(frozenset(numbers), frozenset(qualifiers))


def with_digits(name: str) -> str | None:
    """The name with numbers in words written in digits ("Brigade Forty 4" ->
    "Brigade 44"), or None when it spells no number."""
    if not _has_number_word(name):
        return None
    numbers, words = _number_words(_WORD.findall(name.replace("-", " ")))
    if not numbers or not words:
        return None
    return " ".join([*words, *numbers])


def _has_number_word(name: str) -> bool:
    # One search in C: the matcher asks this of every name it files and every query.
    return _NUMBER_WORD.search(name) is not None
