"""Score how well a query name fits one candidate name, from 0 to 1.

Tokens of the two names are aligned one to one, best pairs first.  The score
is the weighted share of aligned tokens: distinctive words weigh 1, class
nouns and places little, connectors and titles nothing.  Two rules keep
look-alikes apart however many words they share:

- every distinctive token must find a partner, on both sides; one left over
  caps the score below the linking threshold ("Ansar al-Islam" is not "Ansar
  Allah", "Wagner College" is not "Wagner Group");
- leftover places or class nouns on *both* sides are conflicting qualifiers
  ("Gulf Clan" / "Gulf Cartel"), which caps the score too.

A person may be named by surname alone, with a title or with initials; such a
*partial* match scores high but the matcher accepts it only when no other
person in the registry fits as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import TypeAlias

from rapidfuzz.distance import Indel

from kartoteka.link.analysis import AnalysedName, Token
from kartoteka.link.variants import another_name

#: A score that a name with an unaligned distinctive token can never exceed.
MISMATCH_CAP = 0.7
#: The most an organisation's short form scores (before the partial factor).
SHORT_FORM_CAP = 0.85
#: Token similarity below which two tokens are not aligned at all.
ALIGN_MIN = 0.75
#: The same, between a class noun and a word that is not one.
CLASS_NOUN_MIN = 0.85
# How much an unaligned word weighs when another name of the same entity has it.
_SUPPORTED = 0.1
# How much a person's given name weighs when the query names the surname only.
_OMITTED_GIVEN_NAME = 0.1
_PARTIAL_FACTOR = 0.94
_EXTRA_CLASS_NOUN = 0.5
_ACRONYM_SCORE = 0.86
_indel = Indel.normalized_similarity


Weighted: TypeAlias = tuple[tuple[Token, float], ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    partial: bool = False  # surname-only, initials or acronym: needs an unambiguous registry


def weight(token: Token, person: bool) -> float:
    """How much a token says about identity, for a person's or an organisation's name."""
    if token.connector or (person and token.title):
        return 0.0
    if token.particle:
        return 0.15
    if token.initial:
        return 0.3
    if not person and token.concept:
        return 0.3
    if not person and token.place:
        return 0.35
    return 1.0


def token_similarity(a: Token, b: Token) -> float:
    """1.0 for the same word in any spelling; less for near spellings; 0 for others."""
    if a.initial or b.initial:
        if a.initial and b.initial:
            return 1.0 if a.spellings[0] == b.spellings[0] else 0.0
        letter, other = (a, b) if a.initial else (b, a)
        return 0.9 if other.spellings[0].startswith(letter.spellings[0]) else 0.0
    if a.key == b.key or not a.spellings_set.isdisjoint(b.spellings_set):
        return 1.0
    # A distinctive word only close to a class noun is another word (tahrir /
    # tahrik), unless it is very close: a misspelt class noun ("Brigadee").
    plain = (a.concept is None) == (b.concept is None)
    cutoff = ALIGN_MIN if plain else CLASS_NOUN_MIN
    best = 0.0
    for left in a.spellings:
        if len(left) <= 3:
            continue
        for right in b.spellings:
            if len(right) <= 3:
                continue
            sim = _indel(left, right, score_cutoff=cutoff)
            if sim > best:
                best = sim
            if plain and best < 0.8 and (left.startswith(right) or right.startswith(left)):
                best = 0.8
    if plain and best < 0.88 and len(a.skeleton) >= 2 and a.skeleton == b.skeleton and min(
        len(a.spellings[0]), len(b.spellings[0])
    ) >= 4:
        best = 0.88
    return best


#: Token similarities already computed, by the serials of the query token and
#: then the candidate token; tokens are interned, so pairs recur across names.
SimilarityMemo: TypeAlias = dict[int, dict[int, float]]


def align(
    query: Weighted, candidate: Weighted, memo: SimilarityMemo
) -> dict[int, tuple[int, float]]:
    """Greedy one-to-one alignment: query index -> (candidate index, similarity)."""
    pairs: list[tuple[float, int, int]] = []
    for i, (q, _) in enumerate(query):
        known = memo.get(q.serial)
        if known is None:
            known = memo[q.serial] = {}
        for j, (c, _) in enumerate(candidate):
            sim = known.get(c.serial)
            if sim is None:
                sim = known[c.serial] = token_similarity(q, c)
            if sim >= ALIGN_MIN:
                pairs.append((sim, i, j))
    if len(pairs) == 1:
        sim, i, j = pairs[0]
        return {i: (j, sim)}
    pairs.sort(key=itemgetter(0), reverse=True)  # stable: ties keep query order
    aligned: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for sim, i, j in pairs:
        if i not in aligned and j not in used:
            aligned[i] = (j, sim)
            used.add(j)
    return aligned


def weigh(name: AnalysedName, person: bool) -> Weighted:
    """Tokens with their weights; a name of class nouns only keeps those as its identity."""
    weighted = [(t, weight(t, person)) for t in name.tokens]
    if not person and not any(w >= 1.0 for _, w in weighted):
        # "Sinaloa Cartel" is known by its place, "National Army" by its class nouns.
        promoted = "place" if any(t.place for t, _ in weighted) else "class"
        weighted = [(t, 1.0 if _kind(t) == promoted else w) for t, w in weighted]
    return tuple((t, w) for t, w in weighted if w > 0)


def initials(name: AnalysedName) -> str:
    return "".join(t.spellings[0][0] for t in name.tokens if not t.connector)


def compare(
    query: AnalysedName,
    candidate: AnalysedName,
    person: bool = False,
    support: frozenset[str] = frozenset(),
    allow_partial: bool = True,
) -> Comparison:
    """Score ``query`` against ``candidate``; ``support`` holds the spellings of the
    candidate entity's other names, which the query may add without penalty."""
    return compare_weighted(
        weigh(query, person), query.acronym, weigh(candidate, person), initials(candidate),
        person, support, allow_partial,
    )


def compare_weighted(
    q: Weighted,
    acronym: str | None,
    c: Weighted,
    candidate_initials: str,
    person: bool,
    support: frozenset[str],
    allow_partial: bool = True,
    memo: SimilarityMemo | None = None,
    short_forms: bool = False,
) -> Comparison:
    """:func:`compare` on names already weighed, as the matcher keeps them.

    ``memo`` carries token similarities from one comparison to the next.  With
    ``short_forms`` an organisation's name may be shortened as a person's is:
    "Nusrat al-Islam" for "Jama'at Nusrat al-Islam wal-Muslimin" is a *partial*
    match, which the matcher accepts only when no other entity fits as well.
    """
    if allow_partial and acronym and len(acronym) >= 3 and candidate_initials == acronym:
        return Comparison(_ACRONYM_SCORE, partial=True)
    if not q or not c:
        return Comparison(0.0)
    aligned = align(q, c, {} if memo is None else memo)
    if not aligned:
        return Comparison(0.0)  # nothing in common: no score, nothing partial
    distinctive_left = partial = short_form = reordered = False
    last = -1
    q_leftover_kinds: set[str] = set()
    matched_c: set[int] = set()
    matched = total = 0.0
    for i, (token, w) in enumerate(q):
        pair = aligned.get(i)
        if pair is not None:
            j, sim = pair
            partner, partner_weight = c[j]
            matched_c.add(j)
            matched += sim * (w + partner_weight)
            total += w + partner_weight
            if w >= 0.9 and partner_weight >= 0.9 and token.text != partner.text and \
                    another_name(token, partner, person):
                distinctive_left = True  # aligned, but another name: caps the score
            if w >= 0.9:
                reordered |= j < last
                last = j
            # An initial standing for a given name is as ambiguous as an omitted one.
            partial |= token.initial != partner.initial
        elif token.key in support or not support.isdisjoint(token.spellings):
            total += w * _SUPPORTED
        else:
            # Extra class nouns in a query ("the Camorra cartel") are ordinary usage.
            total += w * _EXTRA_CLASS_NOUN if token.concept and w < 1.0 else w
            distinctive_left |= w >= 0.9 or token.initial
            q_leftover_kinds.add(_kind(token))

    if person and reordered and _descent(q, c):
        # "Salman bin Muhammad" is Muhammad's son, not "Muhammad bin Salman" reordered.
        distinctive_left = True
    leftover_c = [] if len(matched_c) == len(c) else [
        (t, w) for j, (t, w) in enumerate(c) if j not in matched_c
    ]
    if allow_partial and person and leftover_c and not distinctive_left:
        surname_index = max(j for j, (_, w) in enumerate(c) if w >= 0.9) if any(
            w >= 0.9 for _, w in c
        ) else -1
        if surname_index in matched_c:
            partial = True
            total += _OMITTED_GIVEN_NAME * len(leftover_c)
            leftover_c = []
    elif short_forms and not person and any(w >= 0.9 for _, w in leftover_c) and len(
        aligned
    ) == len(q) and any(
        sim >= 0.9 and _kind(q[i][0]) == "word" and q[i][1] >= 1.0
        for i, (_, sim) in aligned.items()
    ):
        # Every word of the query is in the name, one of them distinctive: a short
        # form, which never outscores the full name of another entity.
        short_form = partial = True
        total += _OMITTED_GIVEN_NAME * len(leftover_c)
        leftover_c = []
    c_leftover_kinds: set[str] = set()
    for token, w in leftover_c:
        total += w
        distinctive_left |= w >= 0.9
        c_leftover_kinds.add(_kind(token))

    score = matched / total if total else 0.0
    conflicting = q_leftover_kinds & c_leftover_kinds & {"place", "class"}
    if distinctive_left or conflicting:
        score = min(score, MISMATCH_CAP)
    if short_form:
        score = min(score, SHORT_FORM_CAP)
    if partial:
        score *= _PARTIAL_FACTOR
    return Comparison(round(score, 4), partial)


#: Particles that say "son (daughter) of": the order around them is a genealogy.
DESCENT = frozenset({"bin", "ibn", "ben", "bint", "ould", "ag"})


def _descent(q: Weighted, c: Weighted) -> bool:
    return any(t.particle and t.text.casefold() in DESCENT for t, _ in (*q, *c))


def _kind(token: Token) -> str:
    if token.place:
        return "place"
    if token.concept:
        return "class"
    return "word"
