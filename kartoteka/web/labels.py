"""Words a reader understands in place of codes: languages, catalog entry kinds.

A language is named as its own speakers write it ("Русский"), from the ISO
639 translations that ship inside pycountry, so a Russian reader finds
Russian without knowing the code ``ru``; English names are the fallback.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

import pycountry

ENTRY_KIND_LABELS = {
    "organization": ("organisation", "An organisation the catalog lists"),
    "person": ("person", "A person the catalog lists"),
    "article": ("article", "An article the catalog lists on its own"),
}


@lru_cache(maxsize=256)
def language_name(code: str | None) -> str:
    """The language's own name, capitalised; its English name; else the code as given."""
    if not code:
        return ""
    found = pycountry.languages.get(alpha_2=code.lower()) if len(code) == 2 else None
    if found is None:
        return code
    english: str = found.name
    try:
        own = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[code.lower()])
    except OSError:
        return english
    native = own.gettext(english)
    return native[:1].upper() + native[1:]


def entry_kind(kind: str) -> tuple[str, str]:
    """(label, explanation) of a catalog entry's kind."""
    return ENTRY_KIND_LABELS.get(kind, (kind, ""))


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")


def role_label(role: str | None) -> str:
    """A relation's role as words: registry files often hold slugs ("merged-into").

    Only a whole slug is rewritten; a role written as words ("self-styled
    leader") keeps its hyphen."""
    role = (role or "").strip()
    return re.sub(r"[-_]", " ", role) if _SLUG.fullmatch(role) else role
