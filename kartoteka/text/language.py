"""Language identification for article text.

py3langid ships its model inside the wheel (no downloads) and is fast enough
to run on every ingested article.  Short or mixed texts are guessed from the
script as a fallback, since a Telegram post may be a single line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
# Languages our authors write in; restricting the model avoids wild guesses
# (e.g. Latin or Esperanto) for short texts.
# Most of our authors write English or Russian: a fixed log-probability bonus
# settles short texts full of foreign names ("Vučić met Lavrov") that the
# model alone would call Slovene or Bulgarian, and is too small to overturn
# a longer text that really is in another language.
PRIOR = {"en": 10.0, "ru": 10.0}
# Proper names say little about the language around them ("Vučić met
# Lavrov" is English), so capitalised words inside sentences are dropped
# before classifying, when enough other text remains.
_INNER_NAME = re.compile(r"(?<=[^\s.!?:;«\"“(])(\s+)[A-ZА-ЯЁ][\w'’-]*", re.UNICODE)
LANGUAGES = ("en", "ru", "uk", "sr", "bg", "fr", "de", "es", "it", "pt", "tr", "ar", "fa",
             "id", "pl", "nl", "sq", "hr", "bs", "sl", "mk", "ka", "hy", "az", "kk")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid.langid as langid

    langid.set_languages(list(LANGUAGES))
    return langid


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is no text."""
    sample = text[:4000]
    letters = _LETTER.findall(sample)
    if len(letters) < 3:
        return None
    if len(letters) < 20:
        cyrillic = sum(1 for ch in letters if _CYRILLIC.match(ch))
        return "ru" if cyrillic > len(letters) / 2 else None
    without_names = _INNER_NAME.sub(" ", sample)
    if len(_LETTER.findall(without_names)) >= 20:
        sample = without_names
    ranked = _identifier().rank(sample)
    best = max(ranked, key=lambda pair: pair[1] + PRIOR.get(pair[0], 0.0))
    return str(best[0])
