"""The JSON shape of ``kartoteka extract --json``.

``{"language", "countries": [cc...], "handles": [...], "hashtags": [...],
"entities": [{"text", "label", "start", "end", "entity_id", "score"}...]}``:
countries sorted and unique; handles and hashtags unique (Telegram names
ignore case, the first spelling is kept) in order of appearance; entities
are the merged person, organisation and place mentions in text order.
"""

from __future__ import annotations

from typing import Any

from kartoteka.extract.pipeline import NAME_LABELS, ExtractionResult, PatternMatch


def _unique(found: list[PatternMatch]) -> list[str]:
    seen: dict[str, str] = {}
    for match in found:
        seen.setdefault(match.value.casefold(), match.value)
    return list(seen.values())


def to_json(result: ExtractionResult) -> dict[str, Any]:
    return {
        "language": result.language,
        "countries": sorted({c.code for c in result.countries}),
        "handles": _unique(result.handles),
        "hashtags": _unique(result.hashtags),
        "entities": [
            {"text": m.text, "label": m.label, "start": m.start, "end": m.end,
             "entity_id": m.entity_id, "score": round(m.confidence, 4)}
            for m in result.mentions if m.label in NAME_LABELS
        ],
    }
