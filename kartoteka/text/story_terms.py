"""An article's story terms: the stems that say which event it reports.

Two outlets telling the same story use the same names, places and numbers,
but in other word forms («Самбада», «Самбаду») and other sentences.  Stems
conflate the forms; the words that recur in the article (and those in its
title) are the ones it is about.  Related materials store each article's
``STORY_TERMS`` heaviest stems, so that the articles sharing them are found
through an index on the stem, and weigh them by rarity when asking.

Weights are ``1 + log(tf)`` (title words count ``TITLE_WEIGHT`` times),
scaled to unit length, so a long article does not outweigh a short one.
Which stems are kept is decided without the collection (its rarity is only
known when asking): frequency first, then words written with a capital
(names, places) and longer words, which are rarer in any language.
"""

from __future__ import annotations

import math
from collections import Counter

from kartoteka.text.normalize import words
from kartoteka.text.stemming import stem_words
from kartoteka.text.terms import MIN_LENGTH, STOPWORDS, TITLE_WEIGHT

STORY_TERMS = 40
NAME_BONUS = 1.5  # a word once written with a capital: a name or a place
MIN_NUMBER = 2  # digits: "25" and "287" tell events apart; "5" does not


def story_terms(title: str, body: str) -> dict[str, float]:
    """Up to ``STORY_TERMS`` stems with weights of unit length (empty if no words).

    Every article is stemmed by script (English stems for Latin words,
    Russian for Cyrillic), whatever its language field says: the field may
    be missing or wrong, and a stem must not depend on it, or the same name
    would be two terms.
    """
    counts: Counter[str] = Counter()
    named: set[str] = set()
    for text, weight in ((body, 1), (title, TITLE_WEIGHT)):
        kept = [w for w in words(text) if _is_content(w)]
        for word, stem in zip(kept, stem_words(kept, "ru"), strict=True):
            counts[stem] += weight
            if word[0].isupper():
                named.add(stem)
    if not counts:
        return {}
    weights = {stem: 1 + math.log(n) for stem, n in counts.items()}
    chosen = sorted(weights, key=lambda s: (-_salience(s, weights[s], named), s))[:STORY_TERMS]
    norm = math.sqrt(sum(weights[s] ** 2 for s in chosen))
    return {s: weights[s] / norm for s in chosen}


def _is_content(word: str) -> bool:
    if word.isdigit():
        return len(word) >= MIN_NUMBER
    return len(word) >= MIN_LENGTH and word.casefold() not in STOPWORDS


def _salience(stem: str, weight: float, named: set[str]) -> float:
    return weight * (NAME_BONUS if stem in named else 1.0) * math.log(2 + len(stem))
