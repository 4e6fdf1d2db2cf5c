"""The catalog as a Markdown page: one section per country, one bullet per entry."""

from __future__ import annotations

import re

from kartoteka.catalog.links import linkable_url
from kartoteka.catalog.model import Catalog, CatalogEntry

TITLE = "Catalog of articles"

# Characters that would start emphasis, links, code, HTML or tables.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would interpret; keep the text on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(catalog: Catalog) -> str:
    lines = [f"# {TITLE}", ""]
    if not catalog.countries:
        lines += ["_The catalog is empty._", ""]
    for country in catalog.countries:
        lines += [f"## {country.flag} {escape_markdown(country.name)}".strip(), ""]
        lines += [f"- {_entry(entry)}" for entry in country.entries]
        lines.append("")
    return "\n".join(lines)


def _entry(entry: CatalogEntry) -> str:
    title = escape_markdown(entry.title)
    url = linkable_url(entry.url)
    text = f"[{title}]({_link_target(url)})" if url else title
    if entry.authors:
        text += " — " + ", ".join(escape_markdown(author) for author in entry.authors)
    return text


def _link_target(url: str) -> str:
    """Parentheses would end the link target early, so percent-encode them."""
    return url.replace("(", "%28").replace(")", "%29")
