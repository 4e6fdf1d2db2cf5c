"""Country codes, English names and flag emoji, in both directions.

Codes are ISO 3166-1 alpha-2 in lower case, plus ``xk`` for Kosovo (as
FollowTheMoney uses).  Names are the ones readers write ("Russia", not
"Russian Federation"): pycountry's ``common_name`` where it has one, else
our own table below, else pycountry's ``name``.  Catalog posts are often in
Russian, so names resolve from pycountry's Russian translations too.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry

from kartoteka.text.normalize import fold

# Regional indicator symbol letter A; a flag is two of them spelling the code.
_INDICATOR_A = 0x1F1E6

_KOSOVO = "xk"

# Where pycountry's name is not what a reader would write and it has no
# common_name.  Keep it short: one line per country that needs it.
_COMMON_NAMES: dict[str, str] = {
    "ru": "Russia",
    "tr": "Turkey",
    "xk": "Kosovo",
    "ps": "Palestine",
    "cd": "DR Congo",
    "cg": "Republic of the Congo",
    "bn": "Brunei",
    "fm": "Micronesia",
    "va": "Vatican City",
    "mf": "Saint Martin",
    "sx": "Sint Maarten",
    "sh": "Saint Helena",
    "mo": "Macau",
}

# Other spellings seen in posts, folded when indexed.  Not names we print.
_VARIANTS: dict[str, str] = {
    "Russian Federation": "ru",
    "Türkiye": "tr",
    "Turkiye": "tr",
    "USA": "us",
    "U.S.": "us",
    "US": "us",
    "United States of America": "us",
    "America": "us",
    "UK": "gb",
    "Great Britain": "gb",
    "Britain": "gb",
    "England": "gb",
    "DRC": "cd",
    "Democratic Republic of the Congo": "cd",
    "Congo-Kinshasa": "cd",
    "Congo-Brazzaville": "cg",
    "Burma": "mm",
    "Ivory Coast": "ci",
    "Czech Republic": "cz",
    "Macedonia": "mk",
    "Palestinian Territories": "ps",
    "Gaza": "ps",
    "West Bank": "ps",
    "Holland": "nl",
    "Swaziland": "sz",
    "Cape Verde": "cv",
    "East Timor": "tl",
    "Vatican": "va",
    "UAE": "ae",
    "Emirates": "ae",
    "KSA": "sa",
    "Republic of Kosovo": "xk",
    # Russian forms that pycountry's translations do not give.
    "Россия": "ru",
    "РФ": "ru",
    "США": "us",
    "Великобритания": "gb",
    "Англия": "gb",
    "Косово": "xk",
    "Сирия": "sy",
    "Ливия": "ly",
    "Молдова": "md",
    "ДР Конго": "cd",
    "ДРК": "cd",
    "Конго": "cg",
    "Северная Корея": "kp",
    "КНДР": "kp",
    "Южная Корея": "kr",
    "Беларусь": "by",
    "Белоруссия": "by",
    "Киргизия": "kg",
    "Киргизстан": "kg",
    "Кыргызстан": "kg",
    "ОАЭ": "ae",
    "Чехия": "cz",
    "Мьянма": "mm",
    "Бирма": "mm",
    "Кот-д’Ивуар": "ci",
    "Палестина": "ps",
    "Молдавия": "md",
    "Вьетнам": "vn",
    "Лаос": "la",
    "Танзания": "tz",
    "Боливия": "bo",
    "Венесуэла": "ve",
    "Иран": "ir",
}


# Russian names readers write where pycountry's translation is the formal one
# ("Российская Федерация") or where pycountry has no entry at all (Kosovo).
_RUSSIAN_NAMES: dict[str, str] = {
    "xk": "Косово",
    "ru": "Россия",
    "us": "США",
    "gb": "Великобритания",
    "cd": "ДР Конго",
    "cg": "Республика Конго",
    "bn": "Бруней",
    "fm": "Микронезия",
    "va": "Ватикан",
    "mf": "Сен-Мартен",
    "sx": "Синт-Мартен",
    "sh": "Остров Святой Елены",
    "ps": "Палестина",
    "md": "Молдавия",
}


def country_name_in(code: str, language: str) -> str:
    """The name readers of ``language`` use; ``ValueError`` if the code is unknown.

    Russian comes from pycountry's ``iso3166-1`` catalog (the common name's
    translation where there is one), with ``_RUSSIAN_NAMES`` first; any other
    language, or a name the catalog lacks, gets the English name.
    """
    english = country_name(code)
    key = code.strip().lower()
    if language != "ru":
        return english
    if key in _RUSSIAN_NAMES:
        return _RUSSIAN_NAMES[key]
    record = pycountry.countries.get(alpha_2=key.upper())
    source = str(getattr(record, "common_name", None) or record.name) if record else english
    return _catalog(language).gettext(source)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def flag_for(code: str) -> str:
    """The flag emoji for a two-letter code (any case); ``ValueError`` otherwise."""
    letters = code.strip().upper()
    if len(letters) != 2 or not all("A" <= ch <= "Z" for ch in letters):
        raise ValueError(f"not a two-letter country code: {code!r}")
    return "".join(chr(_INDICATOR_A + ord(ch) - ord("A")) for ch in letters)


def code_from_flag(flag: str) -> str | None:
    """The lower-case code a flag emoji spells, if it names a known country."""
    symbols = flag.strip().replace("\ufe0f", "")
    if len(symbols) != 2:
        return None
    offsets = [ord(ch) - _INDICATOR_A for ch in symbols]
    if not all(0 <= offset < 26 for offset in offsets):
        return None
    code = "".join(chr(ord("a") + offset) for offset in offsets)
    return code if is_country_code(code) else None


def is_country_code(code: str) -> bool:
    return code.lower() == _KOSOVO or pycountry.countries.get(alpha_2=code.upper()) is not None


def country_name(code: str) -> str:
    """The English name readers use for a code; ``ValueError`` if unknown."""
    key = code.strip().lower()
    if key in _COMMON_NAMES:
        return _COMMON_NAMES[key]
    record = pycountry.countries.get(alpha_2=key.upper()) if len(key) == 2 else None
    if record is None:
        raise ValueError(
            f"unknown country code {code!r}: use an ISO 3166-1 alpha-2 code or 'xk' for Kosovo"
        )
    return str(getattr(record, "common_name", None) or record.name)


@lru_cache(maxsize=4096)
def code_for_name(name: str) -> str | None:
    """The code for an English (or Russian) country name or common variant.

    Cached: a post repeats the same few names, and folding one costs ~40 µs.
    """
    return _name_index().get(_key(name))


def all_codes() -> list[str]:
    """Every code we know, pycountry's and ``xk``."""
    return sorted([str(c.alpha_2).lower() for c in pycountry.countries] + [_KOSOVO])


def _key(name: str) -> str:
    return fold(name.replace("’", "'")).strip(" .:")


@cache
def _name_index() -> dict[str, str]:
    """Folded name -> code, built once on first use (not at import time)."""
    russian = _catalog("ru")
    index: dict[str, str] = {}
    # Lowest priority first; later assignments win on a clash.
    for record in pycountry.countries:
        code = str(record.alpha_2).lower()
        for attr in ("official_name", "name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                index[_key(russian.gettext(value))] = code
        for attr in ("official_name", "name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                index[_key(value)] = code
    for variant, code in _VARIANTS.items():
        index[_key(variant)] = code
    for code, common in _COMMON_NAMES.items():
        index[_key(common)] = code
    return index
