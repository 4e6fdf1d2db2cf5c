"""Strip from a draft what no database accepts: NUL characters and lone surrogates.

JSON and XML can carry both (``"\\u0000"``, ``"\\ud800"``, ``&#0;``), and
neither SQLite's UTF-8 nor PostgreSQL's text type will store them, so one
such character would otherwise fail the article at write time.  Every
reader's drafts pass through here (see :func:`kartoteka.ingest.guard.never_raises`).
"""

from __future__ import annotations

import math
import re

from kartoteka.model import ArticleDraft, Author

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# ``extra`` comes from the input; deeper than this is not metadata but an attack.
MAX_EXTRA_DEPTH = 32


class UnstorableDraft(ValueError):
    """The draft carries something that cannot be cleaned into a storable article."""


def storable_text(text: str) -> str:
    return _UNSTORABLE.sub("", text) if _UNSTORABLE.search(text) else text


def storable_draft(draft: ArticleDraft) -> ArticleDraft:
    """The same draft (changed in place) with every string storable."""
    draft.title = storable_text(draft.title)
    draft.body = storable_text(draft.body)
    draft.source = storable_text(draft.source)
    draft.source_key = storable_text(draft.source_key)
    draft.language = _optional(draft.language)
    draft.url = _optional(draft.url)
    draft.countries = [storable_text(c) for c in draft.countries]
    draft.hashtags = [storable_text(t) for t in draft.hashtags]
    draft.links = [storable_text(u) for u in draft.links]
    if draft.author is not None:
        draft.author = Author(storable_text(draft.author.handle),
                              storable_text(draft.author.display_name), draft.author.kind)
    draft.extra = {storable_text(str(k)): _value(v, 1) for k, v in draft.extra.items()}
    return draft


def _optional(text: str | None) -> str | None:
    return None if text is None else storable_text(text)


def _value(value: object, depth: int) -> object:
    if depth > MAX_EXTRA_DEPTH:
        raise UnstorableDraft(f"'extra' is nested more than {MAX_EXTRA_DEPTH} levels deep")
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no Infinity or NaN; PostgreSQL's jsonb refuses them
    if isinstance(value, dict):
        return {storable_text(str(k)): _value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v, depth + 1) for v in value]
    return value
