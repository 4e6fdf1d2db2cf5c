"""Are two names the same entity?  A learned decision over explained features.

The token alignment of :mod:`kartoteka.link.scoring` says how much of two
names lines up; it cannot say *which* differences matter.  This module
measures those separately (see :data:`FEATURES`): legal forms (which rarely
change identity), numbers and qualifiers such as a branch's country (which
always do), word order where it carries descent ("Salman bin Muhammad" is
Muhammad's son), a one-letter difference in a Latin-script surname that no
transliteration rule explains ("Scholz"/"Scholze", unlike "Thachi"/"Thaçi"),
different CJK characters, and words one name has and the other lacks.

A logistic model weighs them.  Its weights were fitted by
``bench/train_compare.py`` on the labelled pairs in ``bench/data/pairs`` and
ship as ``pair_weights.json``; applying them is a dot product.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz

from kartoteka.link.analysis import AnalysedName, analyse, lexicon
from kartoteka.link.forms import NameParts, name_parts
from kartoteka.link.romanise import explained, fold, to_latin
from kartoteka.link.scoring import align, weigh
from kartoteka.schemata import is_person

FEATURES: tuple[str, ...] = (
    "align",  # the token alignment score of the name proper, 0..1
    "fuzzy",  # character similarity of the folded names, 0..1
    "legal_conflict",  # both have a legal form, and they differ
    "number_conflict",  # both have numbers or codes, and they differ
    "number_extra",  # one has a number or code, the other none
    "qualifier_conflict",  # both have a qualifier (a place, a bracketed part) the other lacks
    "qualifier_extra",  # one has such a qualifier
    "order_swap",  # distinctive words aligned out of order
    "patronym_swap",  # ... in a name with bin / ibn / ould: father and son
    "latin_edit",  # Latin-script words aligned with a difference no rule explains
    "transliterated",  # Latin words that differ only as a transliteration rule explains
    "cross_edit",  # words from different scripts aligned only approximately
    "cjk_diff",  # two names in Chinese, Japanese or Korean characters that differ
    "short_left",  # distinctive words of the shorter name without a partner
    "long_left_person",  # ... of the longer name: a fuller name of the same person
    "long_left_org",  # ... of an organisation's longer name: often another body
    "short_form_org",  # ... unless they only say what the body is: "Rosneft" / "Rosneft Oil
    # Company" (one or two words, then a generic company noun, the shorter name in full)
    "single_word_person",  # one side is a single distinctive word: little evidence
    "single_word_org",
    "align_high",  # how far the alignment is above 0.8, 0..1
)
_DISTINCTIVE = 0.9
# Class nouns that close a company's full name and that its short form leaves out.
_COMPANY_NOUNS = frozenset({"company", "group"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_DOTTED = re.compile(r"\b((?:[^\W\d_]\.){2,})")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class PairScore:
    """The probability that two names are the same entity, and why."""

    score: float
    same: bool
    features: dict[str, float]
    contributions: dict[str, float]

    def decisive(self, count: int = 4) -> list[tuple[str, float]]:
        """The features that moved the score most, strongest first."""
        ranked = sorted(self.contributions.items(), key=lambda kv: -abs(kv[1]))
        return [(name, round(value, 3)) for name, value in ranked[:count] if value]


@dataclass(frozen=True, slots=True)
class Weights:
    bias: float
    weights: dict[str, float]
    threshold: float


@cache
def load_weights() -> Weights:
    """The shipped weights; a feature the file does not name weighs nothing."""
    raw: dict[str, Any] = json.loads(
        resources.files("kartoteka.link").joinpath("pair_weights.json").read_text("utf-8")
    )
    return Weights(float(raw["bias"]), {k: float(v) for k, v in raw["weights"].items()},
                   float(raw.get("threshold", 0.5)))


def compare_pair(name1: str, name2: str, schema: str | None = None,
                 weights: Weights | None = None) -> PairScore:
    """Score two names; ``schema`` (any FtM thing schema) selects person rules."""
    model = weights or load_weights()
    found = pair_features(name1, name2, schema)
    contributions = {k: model.weights.get(k, 0.0) * v for k, v in found.items()}
    logit = model.bias + sum(contributions.values())
    score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    return PairScore(round(score, 4), score >= model.threshold, found, contributions)


def pair_features(name1: str, name2: str, schema: str | None = None) -> dict[str, float]:
    """The feature vector of a pair, as :data:`FEATURES` names it."""
    from kartoteka.link.matcher import compare_names  # the matcher imports this module's peers

    person = _is_person(name1, name2, schema)
    parts1, parts2 = name_parts(name1, not person), name_parts(name2, not person)
    core1, core2 = _harmonise(parts1.core, parts2.core)
    features = dict.fromkeys(FEATURES, 0.0)
    respelt = _respell(core1, core2)
    features["align"] = compare_names(core1, respelt, schema) if core1 and core2 else 0.0
    latin1, latin2 = _folded(core1), _folded(core2)
    features["fuzzy"] = fuzz.token_sort_ratio(latin1, latin2) / 100.0
    features["legal_conflict"] = float(
        bool(parts1.legal_forms and parts2.legal_forms)
        and parts1.legal_forms.isdisjoint(parts2.legal_forms)
    )
    _numbers(features, parts1, parts2)
    # A name that lacks words of the other is a fuller name of the same person
    # only when both are known to be people; a guess is not enough.
    known_person = person and schema is not None
    _tokens(features, analyse(core1), analyse(core2), person, known_person, parts1, parts2)
    cjk1, cjk2 = "".join(_CJK.findall(name1)), "".join(_CJK.findall(name2))
    features["cjk_diff"] = float(bool(cjk1 and cjk2) and cjk1 != cjk2)
    return features


def _is_person(name1: str, name2: str, schema: str | None) -> bool:
    if schema:
        return is_person(schema)
    for name in (name1, name2):
        if name_parts(name).legal_forms or any(t.concept for t in analyse(name).tokens):
            return False
    return True


def _numbers(features: dict[str, float], a: NameParts, b: NameParts) -> None:
    if a.numbers and b.numbers:
        features["number_conflict"] = float(a.numbers != b.numbers)
    elif a.numbers or b.numbers:
        features["number_extra"] = 1.0


def _folded(text: str) -> str:
    return " ".join(fold(to_latin(w)) for w in _WORD.findall(text))


def _script(text: str) -> str:
    """The script of a word's first letter: LATIN, CYRILLIC, ARABIC, CJK ..."""
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ")[0]
    return "?"


def _tokens(features: dict[str, float], a: AnalysedName, b: AnalysedName, person: bool,
            known_person: bool, parts1: NameParts, parts2: NameParts) -> None:
    """Features read from the word alignment: order, edits, leftovers, qualifiers."""
    wa, wb = weigh(a, person), weigh(b, person)
    pairs = align(wa, wb, {})
    order: list[int] = []
    latin = cross = spelled = 0
    for i, (j, sim) in sorted(pairs.items()):
        left, right = wa[i][0], wb[j][0]
        if wa[i][1] < _DISTINCTIVE or wb[j][1] < _DISTINCTIVE:
            continue
        order.append(j)
        same_script = _script(left.text) == _script(right.text)
        if same_script and _script(left.text) == "LATIN":
            if to_latin(left.text) != to_latin(right.text):
                known = explained(left.text, right.text)
                latin += not known
                spelled += known
        elif not same_script and sim < 1.0:
            cross += 1
    swapped = any(x > y for x, y in pairwise(order))
    if swapped and "," not in a.text and "," not in b.text:
        features["order_swap"] = 1.0
        features["patronym_swap"] = float(_has_particle(a) or _has_particle(b))
    features["latin_edit"] = float(latin > 0)
    features["transliterated"] = float(spelled > 0 and latin == 0)
    features["cross_edit"] = min(cross, 2) / 2
    used_b = {j for j, _ in pairs.values()}
    left_a = [t for i, (t, w) in enumerate(wa) if w >= _DISTINCTIVE and i not in pairs]
    left_b = [t for j, (t, w) in enumerate(wb) if w >= _DISTINCTIVE and j not in used_b]
    distinct_a = sum(w >= _DISTINCTIVE for _, w in wa)
    distinct_b = sum(w >= _DISTINCTIVE for _, w in wb)
    short, long = (left_a, left_b) if distinct_a <= distinct_b else (left_b, left_a)
    kind = "person" if known_person else "org"
    # An organisation's extra place is a qualifier (counted below); a person's is a name.
    short = [t for t in short if person or not t.place]
    long = [t for t in long if person or not t.place]
    # Words left on both sides replaced one another ("Kim Jong Un" / "Kim Jong Il"):
    # short_left counts them; only what the longer name has beyond is a fuller name.
    long = long[len(short):]
    features["short_left"] = min(len(short), 2) / 2
    features[f"long_left_{kind}"] = min(len(long), 3) / 3
    longer = wb if distinct_a <= distinct_b else wa
    if not person and not short and 1 <= len(long) <= 2 and longer \
            and longer[-1][0].concept in _COMPANY_NOUNS:
        features["short_form_org"] = 1.0
    features[f"single_word_{kind}"] = float(min(distinct_a, distinct_b) <= 1)
    # Near the top, alignment says more per point than lower down: a second slope.
    features["align_high"] = max(0.0, features["align"] - 0.8) / 0.2
    # A person's place-derived name ("al-Masri") is a family name, not a qualifier.
    places_a = set() if person else {t.key for t, _ in wa if t.place} - {t.key for t, _ in wb}
    places_b = set() if person else {t.key for t, _ in wb if t.place} - {t.key for t, _ in wa}
    qual_a = bool(places_a) or bool(parts1.qualifiers - parts2.qualifiers)
    qual_b = bool(places_b) or bool(parts2.qualifiers - parts1.qualifiers)
    features["qualifier_conflict"] = float(qual_a and qual_b)
    features["qualifier_extra"] = float(qual_a != qual_b)


def _has_particle(name: AnalysedName) -> bool:
    return any(t.particle and t.key not in _NOT_DESCENT for t in name.tokens)


# Particles that are part of a surname, not a statement of descent.
_NOT_DESCENT = frozenset({"van", "von", "der", "den"})


def _harmonise(a: str, b: str) -> tuple[str, str]:
    """Bring glued words and acronyms to one shape on both sides.

    "Ramimakhlouf" meets "Rami Makhlouf", "vanderbilt" meets "van der bilt",
    and "U.S." meets "United States", by rewriting the other side's run of
    words as the one word; names with nothing to rewrite are returned as given.
    """
    a, b = _DOTTED.sub(_undot, a), _DOTTED.sub(_undot, b)
    words_a, words_b = _WORD.findall(a), _WORD.findall(b)
    new_b = _rewrite(words_a, words_b)
    new_a = _rewrite(words_b, words_a)
    return (" ".join(new_a) if new_a else a), (" ".join(new_b) if new_b else b)


def _respell(a: str, b: str) -> str:
    """``b`` with each Latin word that a transliteration rule ties to a word of ``a``
    written as in ``a``, so that alignment scores the spelling as the same word
    ("Los Setas" / "Los Zetas"); the difference itself stays a feature.  A name
    with nothing to respell is returned as given."""
    words_a: list[str] = [w for w in _WORD.findall(a) if len(w) >= 4 and _script(w) == "LATIN"]
    if not words_a:
        return b

    def respelt(found: re.Match[str]) -> str:
        word: str = found.group(0)
        if len(word) < 4 or _script(word) != "LATIN":
            return word
        for other in words_a:
            if (other.casefold() != word.casefold()
                    and fuzz.ratio(other.casefold(), word.casefold()) >= 60
                    and explained(other, word)):
                return other
        return word

    return _WORD.sub(respelt, b)


def _undot(found: re.Match[str]) -> str:
    return found.group(1).replace(".", "").upper() + " "


def _rewrite(source: list[str], target: list[str]) -> list[str] | None:
    """``target`` with a run of words replaced by a word of ``source`` they spell."""
    connectors = lexicon().connectors
    keys = [to_latin(w) for w in target]
    changed = False
    for word in source:
        glued = fold(to_latin(word))
        acronym = word.isupper() and 2 <= len(word) <= 6
        if len(glued) < 5 and not acronym:
            continue
        for size in (4, 3, 2):
            for start in range(0, len(target) - size + 1):
                run = keys[start: start + size]
                initials = "".join(k[:1] for k in run if fold(k) not in connectors)
                if fold("".join(run)) == glued or (
                    acronym and initials == word.casefold() and fold(run[0]) not in connectors
                ):
                    target = [*target[:start], word, *target[start + size:]]
                    keys = [*keys[:start], to_latin(word), *keys[start + size:]]
                    changed = True
                    break
            else:
                continue
            break
    return target if changed else None


__all__ = ["FEATURES", "PairScore", "compare_pair", "explained", "pair_features"]
