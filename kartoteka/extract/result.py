"""The JSON shape of ``kartoteka extract --json``.

``{"language", "countries": [cc...], "handles": [...], "hashtags": [...],
"entities": [{"text", "normal", "label", "section", "start", "end",
"entity_id", "country", "score"}...]}``: countries sorted and unique; handles
and hashtags unique (Telegram names ignore case, the first spelling is kept)
in order of appearance; entities are the merged person, organisation and
place mentions in text order (the title's first), countries named by name
included as places (LOC, ``country`` their ISO code; "Serbian", flags and
hashtags are only in ``countries``).  ``section`` is ``title`` or ``body``,
the text that ``start`` and ``end`` index.
``normal`` is the name's dictionary form («Амаду Куфы» → «Амаду Куфа»).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from kartoteka.extract.pipeline import LOCATION, NAME_LABELS, ExtractionResult, PatternMatch
from kartoteka.model import Mention


@dataclass(frozen=True, slots=True)
class Listed:
    """One entity as listed: a name mention, or a country named as a place."""

    mention: Mention
    country: str | None = None


def _unique(found: list[PatternMatch]) -> list[str]:
    seen: dict[str, str] = {}
    for match in found:
        seen.setdefault(match.value.casefold(), match.value)
    return list(seen.values())


def listed_entities(result: ExtractionResult) -> list[Listed]:
    """Name mentions and, where no name mention covers them, countries named by
    name: the title's, then the body's, each in text order."""
    return [*_listed_in(result, "title"), *_listed_in(result, "body")]


def _listed_in(result: ExtractionResult, section: str) -> list[Listed]:
    names = sorted((m for m in result.mentions if m.label in NAME_LABELS and m.section == section),
                   key=lambda m: (m.start, m.end))
    starts = [m.start for m in names]
    listed = [Listed(m) for m in names]
    tags = [(h.start, h.end) for h in result.hashtags if h.section == section]
    for country in result.countries:
        if country.section != section:
            continue
        if not country.named or any(s <= country.start < e for s, e in tags):
            continue  # an adjective, a flag, or "#Сирия": in ``countries`` only
        i = bisect_right(starts, country.start)
        if (i and names[i - 1].end > country.start) or (
                i < len(names) and names[i].start < country.end):
            continue  # inside "Kosovo Liberation Army": the name is listed
        place = Mention(country.article_id, country.start, country.end, country.text,
                        LOCATION, country.component, country.confidence, section=section)
        listed.append(Listed(place, country.code))
    return sorted(listed, key=lambda e: (e.mention.start, e.mention.end))


def to_json(result: ExtractionResult) -> dict[str, Any]:
    return {
        "language": result.language,
        "countries": sorted({c.code for c in result.countries}),
        "handles": _unique(result.handles),
        "hashtags": _unique(result.hashtags),
        "entities": [
            {"text": m.text, "normal": m.normal or m.text, "label": m.label,
             "section": m.section, "start": m.start, "end": m.end,
             "entity_id": m.entity_id, "country": e.country,
             "score": round(m.confidence, 4)}
            for e in listed_entities(result) for m in (e.mention,)
        ],
    }
