"""The catalog as a standalone HTML page.

Every piece of text is escaped with ``html.escape``; only http(s) URLs become
links, so an imported post cannot inject markup or script.
"""

from __future__ import annotations

from html import escape

from kartoteka.catalog.links import linkable_url
from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry

TITLE = "Catalog of articles"

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.authors { color: #555; }
.kind { color: #777; font-size: 0.85em; }
""".strip()


def render_html(catalog: Catalog) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(TITLE)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(TITLE)}</h1>",
    ]
    if not catalog.countries:
        parts.append("<p>The catalog is empty.</p>")
    else:
        parts.append(_contents(catalog))
    parts += [_country(country) for country in catalog.countries]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _anchor(country: CatalogCountry) -> str:
    return escape(f"country-{country.code}")


def _contents(catalog: Catalog) -> str:
    items = "".join(
        f'<li><a href="#{_anchor(c)}">{escape(f"{c.flag} {c.name}".strip())}</a></li>'
        for c in catalog.countries
    )
    return f'<nav aria-label="Countries"><ul>{items}</ul></nav>'


def _country(country: CatalogCountry) -> str:
    heading = escape(f"{country.flag} {country.name}".strip())
    entries = "\n".join(_entry(entry) for entry in country.entries)
    return (
        f'<section id="{_anchor(country)}">\n<h2>{heading}</h2>\n<ul>\n{entries}\n</ul>\n</section>'
    )


def _entry(entry: CatalogEntry) -> str:
    title = escape(entry.title)
    url = linkable_url(entry.url)
    text = f'<a href="{escape(url, quote=True)}" rel="noopener">{title}</a>' if url else title
    text += f' <span class="kind">({escape(entry.kind)})</span>'
    if entry.authors:
        authors = ", ".join(escape(author) for author in entry.authors)
        text += f' <span class="authors">— {authors}</span>'
    return f"<li>{text}</li>"
