"""Spellings of one word across scripts and romanisation systems.

A word is brought to Latin letters (anyascii), Russian words also to their
dictionary forms (pymorphy3), and then *folded*: the letter groups that
romanisation systems disagree on collapse to one spelling ("zh", "j" and
"sch" for ж; "kh" and "h"; "q" and "k"; "ou" and "u"; doubled letters).
The *skeleton* goes further and keeps only consonant classes, so that
Prigozhin, Prigojine and Prigoschin share a key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NOT_LETTER = re.compile(r"[^a-z0-9]")
# Applied in order, longer letter groups first, so "tsch" is not read as "ts" + "ch".
_FOLDS = (
    # French spellings of Arabic w ("Sahraoui", "Ouattara") before the ou/u fold.
    ("oui", "wi"), ("oua", "wa"),
    ("tsch", "c"), ("sch", "sh"), ("dzh", "j"), ("dj", "j"), ("tch", "c"), ("ch", "c"),
    ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("ck", "k"),
    ("q", "k"), ("x", "ks"), ("w", "v"), ("tz", "c"), ("ts", "c"), ("y", "i"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"),
)
_REPEAT = re.compile(r"(.)\1+")
_VOWEL_H_END = re.compile(r"(?<=[aeiou])h$")
_CONSONANT_E_END = re.compile(r"(?<=[^aeiou])e$")
_SKELETON = str.maketrans({"g": "k", "c": "k", "z": "s", "j": "s", "v": "f", "p": "b"})
_SKELETON_DROP = re.compile(r"[aeiouh]")
# An Arabic article fused to its word, assimilated to a sun letter: "eddine".
_FUSED_SUN_ARTICLE = re.compile(r"^[aeu]([dtszrnl])\1([a-z]{3,})$")
_FUSED_ARTICLE = re.compile(r"^(?:al|el)([a-z]{4,})$")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
# English and French spellings of one Arabic sound: "Sahrawi" / "Sahraoui".
_SPOKEN = (("oui", "wi"), ("oua", "wa"), ("ouy", "wy"))
# Letters that spell one sound in some languages: "Setas" / "Zetas", "Carim" / "Karim".
_SIBILANTS = str.maketrans({"z": "s", "c": "k"})


def to_latin(word: str) -> str:
    """Lower-case ASCII letters and digits only; apostrophes vanish."""
    return _NOT_LETTER.sub("", anyascii(word).lower())


def fold(latin: str) -> str:
    """Collapse the spellings that romanisation systems disagree on."""
    folded = latin
    for src, dst in _FOLDS:
        if src in folded:
            folded = folded.replace(src, dst)
    folded = _REPEAT.sub(r"\1", folded)
    if len(folded) > 3:
        folded = _VOWEL_H_END.sub("", folded)
    if len(folded) > 4:
        folded = _CONSONANT_E_END.sub("", folded)
    return folded


def skeleton(folded: str) -> str:
    """Consonant classes only: a phonetic key that ignores vowels and ``h``."""
    return _REPEAT.sub(r"\1", _SKELETON_DROP.sub("", folded).translate(_SKELETON))


@lru_cache(maxsize=200_000)
def is_latin(word: str) -> bool:
    """Whether every letter of a word is a Latin letter (with or without diacritics)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in word if c.isalpha())


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


@cache
def _morph() -> Any:
    """pymorphy3's analyser, loaded on first use (it reads its dictionaries)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# Case endings of Russian nouns and adjectives, longest first: cutting one off
# gives a stem shared by every case form ("Пригожина", "Пригожин" -> "пригожин";
# "Сияющего", "Сияющий" -> "сияющ").
_RUSSIAN_ENDINGS = ("ого", "его", "ому", "ему", "ыми", "ими", "ами", "ями", "ий", "ый", "ой",
                    "ая", "яя", "ое", "ее", "ие", "ые", "ым", "им", "ей", "ом", "ем", "ах",
                    "ях", "ую", "юю", "ы", "и", "а", "я", "у", "ю", "е", "ь")


def russian_stem(word: str) -> str | None:
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return None


def russian_lemmas(word: str) -> list[str]:
    """Dictionary forms of a Russian word the dictionary knows (Шамиля -> шамиль)."""
    morph = _morph()
    if not morph.word_is_known(word):
        return []  # pymorphy3's guesses cost a millisecond and add nothing to the stem
    lemmas: list[str] = []
    for parse in morph.parse(word)[:4]:
        if parse.score >= 0.05 and parse.normal_form not in lemmas:
            lemmas.append(parse.normal_form)
    return lemmas


def _latin_forms(latin: str) -> list[str]:
    """The word and its likely bases: plural, possessive, fused article."""
    forms = [latin]
    if len(latin) >= 6 and latin.endswith(("ovi", "evi")):
        forms.append(latin[:-3])
    if len(latin) >= 5 and latin.endswith("ves"):
        forms.append(latin[:-3] + "f")
    if len(latin) >= 5 and latin.endswith("s") and not latin.endswith("ss"):
        forms.append(latin[:-1])
    sun = _FUSED_SUN_ARTICLE.match(latin)
    if sun:
        forms.append(sun.group(1) + sun.group(2))  # "eddine" -> "dine"
    plain = _FUSED_ARTICLE.match(latin)
    if plain:
        forms.append(plain.group(1))  # "alnusra" -> "nusra"
    return forms


@lru_cache(maxsize=500_000)
def spellings(word: str, lemmas: bool = True) -> tuple[str, ...]:
    """All folded spellings of a case-folded word; the first is its own.

    Russian words get a stem without the case ending and, with ``lemmas``,
    their dictionary forms.  Registry names are mostly in the nominative
    already, so the matcher skips the (slower) dictionary for them; a query's
    lemma then meets the registry's own spelling.
    """
    if is_cyrillic(word):
        forms = [word]
        stem = russian_stem(word)
        if stem:
            forms.append(stem)
        if lemmas:
            forms.extend(russian_lemmas(word))
        latin = [to_latin(form) for form in forms]
    else:
        latin = _latin_forms(to_latin(word))
    folded = [fold(form) for form in latin if form]
    return tuple(dict.fromkeys(form for form in folded if form))


@lru_cache(maxsize=200_000)
def explained(a: str, b: str) -> bool:
    """Whether a transliteration rule accounts for two Latin spellings of one word.

    Folding does (zh/j, kh/h, ou/u, doubled letters), so does one consonant
    letter for another of the same sound (s/z, c/k: "Setas"/"Zetas"), and so
    do vowels alone ("Muhammad"/"Mohammed", "Doku"/"Dokka",
    "Prabhakaran"/"Pirabhakaran").  A consonant changed, added or dropped is
    not ("Lavrov"/"Lavrenov", "Albano"/"Albanese"), nor vowels changed together
    with a consonant ("Marquez"/"Marcos"), nor a final "e" ("Scholz"/"Scholze").
    """
    la, lb = to_latin(a), to_latin(b)
    if la == lb:
        return True
    if la + "e" == lb or lb + "e" == la:
        return False
    for written, said in _SPOKEN:
        la, lb = la.replace(written, said), lb.replace(written, said)
    fa, fb = fold(la), fold(lb)
    if fa == fb or fa.translate(_SIBILANTS) == fb.translate(_SIBILANTS):
        return True
    return len(fa) >= 4 and _VOWEL_RUNS.sub("", fa) == _VOWEL_RUNS.sub("", fb)
