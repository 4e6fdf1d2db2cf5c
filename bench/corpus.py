"""A seeded generator of synthetic articles for benchmarks.

Words are drawn from a Zipf-like distribution over a vocabulary of common
English words, field terms and proper names, so term frequencies look like
real news text: a few words everywhere, most words rare.  The same seed
always gives the same corpus, so runs compare.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from kartoteka.model import ArticleDraft, Author, AuthorKind

COMMON = (
    "the of and to in a is that for on was with as by at from his her their it an "
    "were are which this be has had have not after but they its who also been more "
    "one two about into than other when over year years government forces group "
    "groups city people country police security army attack attacks killed leader "
    "leaders members region control border war military state states local national "
    "said according report reports during since against under between new former "
    "several many first later officials operation operations area areas support "
    "power political public northern southern eastern western central province "
    "capital district village town"
).split()
FIELD = (
    "militia cartel insurgency insurgents jihadist smuggling trafficking ceasefire "
    "kidnapping extortion paramilitary guerrilla faction splinter offensive ambush "
    "checkpoint sanctions designation terrorism terrorist counterterrorism commander "
    "fighters recruitment financing laundering narcotics cocaine weapons arms "
    "brigade battalion emirate caliphate wilayat mercenaries contractors occupation "
    "separatist autonomy referendum independence tribunal indictment prosecution "
    "amnesty truce"
).split()
NAMES = (
    "Kosovo Serbia Belgrade Pristina Mexico Sinaloa Tamaulipas Colombia Syria Idlib "
    "Aleppo Iraq Mosul Mali Bamako Nigeria Borno Somalia Mogadishu Libya Tripoli "
    "Benghazi Turkey Ankara Russia Moscow Chechnya Grozny Sahel Lavrov Thaci Vucic "
    "Prigozhin Wagner Zetas Shabaab Nusra Tahrir Hurras Boko Haram Ansar JNIM Kataib"
).split()
COUNTRIES = ("rs", "xk", "mx", "co", "sy", "iq", "ml", "ng", "so", "ly", "tr", "ru")
AUTHORS = tuple(
    Author(f"@bench_author_{i}", f"Bench author {i}", AuthorKind.CHANNEL) for i in range(40)
)


SYLLABLES = (
    "ka ri to na mo se li da ve ru po ten gar sha bel vor min tal ces dor pra zan "
    "kel mir ost un ar in el on ex pro sta"
).split()
VOCABULARY_SIZE = 30_000


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    """Pronounceable filler words: real text has tens of thousands of types."""
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < n:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class SyntheticCorpus:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        filler = pseudo_words(self.rng, VOCABULARY_SIZE)
        # Function words take the heavy end of the Zipf curve; field terms and
        # names are spread over the middle ranks, as in news text.
        self.words = COMMON + filler
        topical = FIELD + NAMES
        self.rng.shuffle(topical)
        for word in topical:
            self.words.insert(self.rng.randint(150, 6000), word)
        weights = [1 / (rank + 1) ** 1.0 for rank in range(len(self.words))]
        self.cumulative = list(accumulate(weights))

    def sentence(self) -> str:
        length = self.rng.randint(8, 24)
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def body(self, min_bytes: int = 3000, max_bytes: int = 6000) -> str:
        target = self.rng.randint(min_bytes, max_bytes)
        parts: list[str] = []
        size = 0
        while size < target:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(3, 7)))
            parts.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(parts)

    def articles(
        self, n: int, body_bytes: tuple[int, int] = (3000, 6000), first: int = 0
    ) -> Iterator[ArticleDraft]:
        """``n`` articles numbered from ``first``; bodies of ``body_bytes`` (min, max)."""
        start = datetime(2015, 1, 1, tzinfo=UTC)
        for i in range(first, first + n):
            title_words = self.rng.choices(self.words[40:], k=self.rng.randint(3, 8))
            yield ArticleDraft(
                title=" ".join(title_words).capitalize(),
                body=self.body(*body_bytes),
                source=f"bench://article/{i}",
                source_key=f"bench://article/{i}",
                language="en",
                author=self.rng.choice(AUTHORS),
                published_at=start + timedelta(hours=self.rng.randint(0, 24 * 365 * 10)),
                countries=self.rng.sample(COUNTRIES, self.rng.randint(1, 2)),
            )
