"""FollowTheMoney's schema names in the interface's language, from the catalogs FtM ships.

FtM translates through a process-wide locale setting; pages in two
languages at once need the catalog by language instead, so it is read here.
"""

from __future__ import annotations

import gettext as gnu
from functools import lru_cache
from pathlib import Path

import followthemoney
from followthemoney import model

_CATALOGS = Path(followthemoney.__file__).resolve().parent / "translations"


@lru_cache(maxsize=8)
def _catalog(language: str) -> gnu.NullTranslations:
    return gnu.translation("followthemoney", _CATALOGS, languages=[language], fallback=True)


def ftm_schema_label(schema: str, language: str) -> str:
    """The schema's label in ``language``; its English label, or the name, when none."""
    found = model.get(schema)
    if found is None:
        return schema
    english = str(getattr(found, "_label", None) or schema)
    return _catalog(language).gettext(english)
