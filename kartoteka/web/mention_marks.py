"""Which stretches of an article's body and title become links to entity pages.

Only mentions the linker resolved become links; an unresolved name is a
candidate for editors, not something to send a reader to.  The title is
the entity's registry name, so a reader sees "Hashim Thaçi" over "Thaçi".
"""

from __future__ import annotations

from kartoteka.services.entity_views import ArticleEntities
from kartoteka.web.render import MarkedSpan, path_segment


def entity_href(entity_id: str) -> str:
    return "/entities/" + path_segment(entity_id)


def mention_marks(found: ArticleEntities, section: str = "body") -> list[MarkedSpan]:
    """Marks for the mentions in ``section`` ("body" or "title"), whose offsets they keep."""
    names = found.names()
    return [
        MarkedSpan(m.start, m.end, entity_href(m.entity_id), names.get(m.entity_id, m.text))
        for m in found.mentions
        if m.entity_id and m.section == section
    ]
