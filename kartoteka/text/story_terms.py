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
from itertools import repeat

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
    counts: Counter[str | None] = Counter()  # None: the words that are no content
    named: set[str | None] = set()  # stems of words written with a capital
    known = _known_words()
    for text, weight in ((body, 1), (title, TITLE_WEIGHT)):
        stems, names = known.look_up(words(text))
        if weight == 1:
            counts.update(stems)  # counted in C
        else:
            for stem in stems:
                counts[stem] += weight
        named.update(names)
    weights = {stem: 1 + math.log(n) for stem, n in counts.items() if stem is not None}
    if not weights:
        return {}
    # (-salience, stem) pairs sorted as they are: a key function called per stem
    # was a third of the time.
    ranked = sorted([(-(w * (NAME_BONUS if s in named else 1.0) * math.log(2 + len(s))), s)
                     for s, w in weights.items()])
    chosen = [s for _salience, s in ranked[:STORY_TERMS]]
    norm = math.sqrt(sum(weights[s] ** 2 for s in chosen))
    return {s: weights[s] / norm for s in chosen}


class _Words:
    """What is known of each word as written, so that each is decided and stemmed once.

    Words repeat across articles (a few thousand make most of any text); one
    dictionary look-up per word was cheaper than deciding and stemming again,
    which was most of the time story terms took.
    """

    HELD = 100_000  # words (some 4 MB beside the stems), before starting afresh
    UNSEEN = ""  # no stem is empty (were one, its word would only be stemmed again)

    def __init__(self) -> None:
        # The stem of each word, or None for a word that is no content word (a
        # stop word, too short, a lone digit); and the stem of each content word
        # written with a capital (a name or a place).
        self.stems: dict[str, str | None] = {}
        self.named: dict[str, str] = {}

    def look_up(self, found: list[str]) -> tuple[list[str | None], list[str | None]]:
        """(the stem of each of ``found``, or None; its stem if it is a name, or None)."""
        known = list(map(self.stems.get, found, repeat(self.UNSEEN)))
        if self.UNSEEN in known:
            new: dict[str, str | None] = {w: None for w, k in zip(found, known, strict=True)
                                          if k == self.UNSEEN}
            kept = [w for w in new if _is_content(w)]
            new.update(zip(kept, stem_words(kept, "ru"), strict=True))
            self.named.update((w, stem) for w, stem in new.items()
                              if stem is not None and w[0].isupper())
            self.stems.update(new)
            known = [new[w] if k == self.UNSEEN else k for w, k in zip(found, known, strict=True)]
        return known, list(map(self.named.get, found))


_words = _Words()


def _known_words() -> _Words:
    """The words known so far; a new, empty lot once they are too many.  Each caller
    keeps the lot it got, so another thread starting afresh changes nothing for it."""
    global _words
    if len(_words.stems) > _Words.HELD:
        _words = _Words()
    return _words


def _is_content(word: str) -> bool:
    if word.isdigit():
        return len(word) >= MIN_NUMBER
    return len(word) >= MIN_LENGTH and word.casefold() not in STOPWORDS

