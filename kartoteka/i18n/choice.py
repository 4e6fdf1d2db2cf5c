"""Which language a request gets: the reader's explicit choice, else their browser's.

The choice is a cookie (``COOKIE``); signing in copies the account's saved
language into it, so one cheap rule serves visitors and users alike and the
page cache can key on it without asking the database.  With no cookie,
``Accept-Language`` decides (quality values honoured, ``ru-RU`` counts as
``ru``), and English is the fallback.
"""

from __future__ import annotations

from babel.core import negotiate_locale

from kartoteka.i18n import DEFAULT_LANGUAGE, LANGUAGES

COOKIE = "kartoteka_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
_MAX_RANGES = 20  # a header is a handful of ranges; a huge one is not worth parsing


def preferred_languages(header: str | None) -> list[str]:
    """The ranges of an Accept-Language header, most wanted first; q=0 dropped."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:_MAX_RANGES]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return cookie
    found = negotiate_locale(preferred_languages(accept_language), LANGUAGES, sep="-")
    return found if found in LANGUAGES else DEFAULT_LANGUAGE
