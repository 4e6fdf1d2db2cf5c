"""Guess whether an unknown catalog title names a person or an organisation.

A catalog post does not say; the guess only labels a candidate entity for
the editor who reviews it (``PER`` or ``ORG``, as extraction labels names).
A title is taken for a person's name when it is two to four capitalised
words (name particles such as "al-" or "bin" allowed) and none of them is a
word organisations are named with.
"""

from __future__ import annotations

import re

from kartoteka.text.normalize import fold

PERSON_LABEL = "PER"
ORGANIZATION_LABEL = "ORG"

_PARTICLES = frozenset(
    "al el ad ar as ash at az abu abd bin ibn bint de del della di da dos du la le "
    "van von der den y ag".split()
)
# Words that name groups, not people (English, Russian, transliterated Arabic).
_GROUP_WORDS = frozenset(
    """
    army front forces force group groups cartel state emirate caliphate party brigade
    brigades battalion movement wolves organization organisation union council corps
    committee network clan family mafia gang militia legion division company pmc
    consultancy islamia islamiya jamaat jamaa jemaa tablig tahrir hizb harakat katiba
    ansar jabhat hayat wilayat ig isis isil liberation republic government crime tigers
    los las
    армия фронт группа группировка картель государство эмират партия бригада батальон
    движение волки организация союз совет корпус клан семья мафия банда ополчение
    легион дивизия компания чвк джамаат хизб вилаят имарат тигры
    """.split()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def guess_label(title: str) -> str:
    """``PER`` for a title shaped like a personal name, otherwise ``ORG``."""
    tokens = _TOKEN.findall(title)
    if not 2 <= len(tokens) <= 4 or re.search(r"\d", title):
        return ORGANIZATION_LABEL
    for token in tokens:
        parts = [fold(p) for p in re.split(r"[-'’]", token)]
        if any(p in _GROUP_WORDS for p in parts):
            return ORGANIZATION_LABEL
        if not token[0].isupper() and parts[0] not in _PARTICLES:
            return ORGANIZATION_LABEL
    if all(fold(t) in _PARTICLES for t in tokens):
        return ORGANIZATION_LABEL
    return PERSON_LABEL
