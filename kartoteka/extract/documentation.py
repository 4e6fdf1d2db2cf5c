"""From an article's linked mentions to its FtM "Documentation" links.

An article documents each entity it links, with the number of mentions and
a role: ``subject`` when the article is about the entity, ``mentioned``
otherwise.  An entity is a subject when one of its names (a registry name,
or the way this article wrote it) is in the title, or when it is the
most-mentioned linked entity with at least :data:`SUBJECT_MENTIONS`
mentions (entities tied for most-mentioned are all subjects).  An entity tied
to none of the countries the article names is a subject only on the strong
evidence of being most-mentioned: a name in the title is not enough, since
two groups may share one (Ansar al-Islam in Iraq, Ansaroul Islam in Burkina
Faso), and a subject files the article under its entity's countries.  Unresolved
person, organisation and place mentions are grouped under a *candidate key*:
the keyed name, so "Пригожина" and "Пригожин" meet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kartoteka.extract.keyed import key_name
from kartoteka.extract.pipeline import NAME_LABELS
from kartoteka.model import Mention

SUBJECT = "subject"
MENTIONED = "mentioned"
SUBJECT_MENTIONS = 3
KEY_LENGTH = 500
CONTEXT_CHARS = 60


@dataclass(frozen=True, slots=True)
class Documentation:
    """An article documents an entity: how often, and whether it is the subject."""

    entity_id: str
    mentions: int
    role: str


@lru_cache(maxsize=65_536)
def _padded_key(text: str) -> str:
    return f" {key_name(text)} "


@lru_cache(maxsize=65_536)
def candidate_key(text: str) -> str | None:
    """The key unresolved mentions of one name share; None for a name with no letters.

    Cached: a batch keys the same few names over and over.
    """
    key = key_name(text).strip()
    return key[:KEY_LENGTH] if any(c.isalpha() for c in key) else None


def in_title(title: str, names: Iterable[str]) -> bool:
    """Whether any of ``names`` is a whole-word part of the title, as keyed text."""
    keyed = _padded_key(title)
    return any(len(k) > 2 and k in keyed for k in map(_padded_key, names))


def documentation(
    title: str, mentions: Sequence[Mention], names: Mapping[str, Sequence[str]],
    countries: Mapping[str, Collection[str]] | None = None,
    article_countries: Collection[str] = (),
) -> list[Documentation]:
    """One link per linked entity of name mentions, in order of first mention.

    ``countries`` gives entities' country codes; ``article_countries`` those
    the article names.
    """
    counts = Counter(m.entity_id for m in mentions if m.entity_id and m.label in NAME_LABELS)
    if not counts:
        return []
    top = max(counts.values())
    found: list[Documentation] = []
    for entity_id, count in counts.items():
        assert entity_id is not None
        written = {m.text for m in mentions if m.entity_id == entity_id}
        own = (countries or {}).get(entity_id, ())
        foreign = bool(article_countries and own) and not set(own) & set(article_countries)
        subject = (count == top and count >= SUBJECT_MENTIONS) or (not foreign and in_title(
            title, [*written, *names.get(entity_id, ())]
        ))
        found.append(Documentation(entity_id, count, SUBJECT if subject else MENTIONED))
    return found


def context(body: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """A short one-line excerpt around a span, cut at word boundaries."""
    left = max(0, start - width)
    right = min(len(body), end + width)
    if left > 0 and " " in body[left:start]:
        left = body.index(" ", left, start) + 1
    if right < len(body) and " " in body[end:right]:
        right = body.rindex(" ", end, right)
    excerpt = " ".join(body[left:right].split())
    return ("…" if left > 0 else "") + excerpt + ("…" if right < len(body) else "")
