"""Count an article's words the way the search index sees them.

Related-article ranking asks the index for articles sharing an article's
most distinctive words; those words must be folded as the index folds them
(lower case, no diacritics) or the index will not know them.
"""

from __future__ import annotations

from collections import Counter

from kartoteka.text.normalize import fold, words

TITLE_WEIGHT = 3  # a word in the title says more about the subject than one in the body
MIN_LENGTH = 3


def term_counts(title: str, body: str) -> Counter[str]:
    """Folded words of three letters or more, title words counted ``TITLE_WEIGHT`` times."""
    counts: Counter[str] = Counter()
    for word in words(fold(body)):
        if len(word) >= MIN_LENGTH and not word.isdigit():
            counts[word] += 1
    for word in words(fold(title)):
        if len(word) >= MIN_LENGTH and not word.isdigit():
            counts[word] += TITLE_WEIGHT
    return counts
