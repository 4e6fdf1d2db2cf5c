"""Stable keys for catalog entries and the articles they point to.

An imported entry becomes a placeholder article before its text is known.
These keys let the same entry be recognised on the next import, and let the
real article, when it is ingested, find the placeholder it fills in: by its
link, or by its title and author when the post had no link.
"""

from __future__ import annotations

from kartoteka.extract.documentation import candidate_key as extraction_candidate_key
from kartoteka.text.normalize import fold, words

#: ``source`` of a placeholder article; ingesting the real text replaces it.
PLACEHOLDER_SOURCE = "catalog:"


def title_words(title: str) -> str:
    """Folded words only, so "Huras ad-Din, part 2" and "Huras ad-Din (part 2)" agree."""
    return " ".join(words(fold(title)))


def handle_key(handle: str | None) -> str:
    return (handle or "").strip().lower()


def entry_source_key(country: str, title: str, author: str | None, url: str | None) -> str:
    """The placeholder's source key: its link, or country, title and author."""
    if url:
        return url
    return f"catalog:{country}:{title_words(title)}:{handle_key(author)}"


def entry_key(source_key: str) -> str:
    """The key an import looks its own placeholder up by."""
    return f"entry:{source_key}"


def url_key(url: str) -> str:
    return f"url:{url.strip()}"


def title_key(title: str, author: str | None) -> str:
    return f"title:{title_words(title)}\x1f{handle_key(author)}"


def source_key(key: str) -> str:
    """Recorded once a placeholder is filled, so the same source revises it later."""
    return f"source:{key}"


def placeholder_keys(
    source: str, title: str, fragment: str | None, author: str | None, url: str | None
) -> list[str]:
    """Every key a placeholder is registered under."""
    keys = [entry_key(source), title_key(title, author)]
    if fragment:
        keys.append(title_key(f"{title} {fragment}", author))
    if url:
        keys.append(url_key(url))
    return list(dict.fromkeys(keys))


def candidate_key(name: str) -> str:
    """How an unknown name is aggregated as a candidate entity.

    The same key extraction uses for unresolved mentions, so a catalog title
    and the same name found in article text land on one candidate.
    """
    return extraction_candidate_key(name) or fold(name)
