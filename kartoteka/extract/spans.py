"""Tidying statistical NER spans before they become mentions.

Small English and Russian models make the same few mistakes on news and
Telegram text: a leading "the", a possessive "’s", quotes or emoji flags
inside the span, a handle taken for an organisation, and a surname after a
title ("President Vučić") labelled as a place.  Fixing those here keeps the
NER components short and treats both languages alike.
"""

from __future__ import annotations

import re

from kartoteka.extract.pipeline import PERSON

_LEADING = re.compile(r"^(?:(?:the|The|THE)\s+|[^\w@#]+)")
# A capital "The" inside a sentence is part of the name ("in The Hague").
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n«»\"“”(\[]\s*|\n\s*)$")
_TRAILING = re.compile(r"(?:[’']s|[^\w.)]+|(?<=\w\w)\.)$")
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:President|Prime Minister|Minister|Ambassador|General|Colonel|Commander|"
    r"Sheikh|Emir|Mullah|Imam|Mr|Mrs|Ms|Dr|Senator|Governor|Mayor|leader|commander|"
    r"president|minister|ambassador|general|chief|boss|warlord|founder)\.?"
    r"|(?<!\w)(?:президент\w*|министр\w*|посл[аеуо]м?|посол|генерал\w*|командир\w*|"
    r"лидер\w*|главар\w*|шейх\w*|эмир\w*|глав[аеуы]й?|основател\w*|премьер\w*))\s+$")


def tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim what is not part of the name; None if nothing name-like is left."""
    while start < end:
        span = text[start:end]
        lead = _LEADING.match(span)
        if lead and span.startswith("The") and lead.group().strip() == "The" and not \
                _SENTENCE_START.search(text, max(0, start - 3), start):
            lead = None
        if lead and lead.end() > 0:
            start += lead.end()
            continue
        trail = _TRAILING.search(span)
        if trail and trail.start() < len(span):
            end = start + trail.start()
            continue
        break
    span = text[start:end]
    if not any(c.isalpha() for c in span) or span[:1] in "@#":
        return None
    return start, end


def _name_word(word: str) -> bool:
    """A capital then lower case ("Vučić", «Лавров»): not an acronym (МИД, UNHCR)."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def relabel(text: str, start: int, end: int, label: str) -> str:
    """A name right after a person's title is a person, whatever the model said.

    Only when the span is shaped like a personal name: "глава МИД",
    "глава Минобороны" and "президент России" name an office's organisation or
    country, and an acronym is never a person.  Russian puts a one-word
    organisation or region after «глава» far more often than a bare surname, so
    a Cyrillic span needs a given name and a surname.
    """
    if label == PERSON or not _TITLE_BEFORE.search(text[max(0, start - 40):start]):
        return label
    words = text[start:end].split()
    if not words or not all(_name_word(w) for w in words if w[:1].isupper()):
        return label
    if any("\u0400" <= c <= "\u04ff" for c in text[start:end]) and len(words) < 2:
        return label
    return PERSON


_STRAY = "«»\"“”„‘’'()[]{}<> \t\n"


def trim_name(name: str) -> str | None:
    """A normal form without the quotes and brackets a model left at its ends."""
    trimmed = name.strip(_STRAY)
    return trimmed if any(c.isalpha() for c in trimmed) else None


# Words that join the parts of one name: "Iyad Ag Ghaly", "Osama bin Laden".
_PARTICLE_END = re.compile(
    r"(?:^|\s)(?:Ag|ag|Ould|ould|bin|Bin|ibn|Ibn|ben|Ben|Abu|Abou|Abd|al|el|van|von|de|da|"
    r"dos|del|Аг|аг|бен|бин|ибн|Абу|Абд|аль|эль|ад|ан|аш|ас)$")
_NEXT_NAME = re.compile(r"\s(?:[A-ZА-ЯЁ][\w'’]*)(?:-[\w'’]+)*")


def extend_name(text: str, start: int, end: int) -> int:
    """The end of a person's name the model cut after a particle ("Iyad Ag" → "Iyad Ag Ghaly")."""
    if _PARTICLE_END.search(text, start, end):
        following = _NEXT_NAME.match(text, end)
        if following:
            return following.end()
    return end
