"""The Jinja environment pages render with: autoescaping on, our filters loaded.

Jinja's i18n extension gives templates ``{% trans %}`` and ``_()``; its
callables read the request's language (``kartoteka.i18n``), so one shared
environment serves every language.  Dates and numbers go through Babel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from kartoteka.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    current_language,
    gettext,
    localise,
    ngettext,
)
from kartoteka.i18n.formats import day, moment, number
from kartoteka.services.countries import country_label
from kartoteka.store.facets import FacetValue
from kartoteka.web.deps import ANONYMOUS, current_viewer
from kartoteka.web.follow import following, watch_label
from kartoteka.web.labels import entry_kind, language_name, role_label, schema_label, word
from kartoteka.web.paging import url_with
from kartoteka.web.render import (
    body_html,
    diff_html,
    lang_attr,
    path_segment,
    safe_url,
    snippet,
    title_html,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


def country_facet_label(facet: FacetValue) -> str:
    label = country_label(facet.value)
    return f"{label.flag} {label.name}".strip()


def author_facet_label(facet: FacetValue) -> str:
    return facet.label or facet.value


def plain_facet_label(facet: FacetValue) -> str:
    return facet.value


def language_facet_label(facet: FacetValue) -> str:
    return language_name(facet.value)


def viewer_context(request: Request) -> dict[str, Any]:
    """Every page knows who is reading (the header shows sign-in or sign-out)."""
    try:
        return {"viewer": current_viewer(request)}
    except HTTPException:  # a bad API token: its error page is drawn for nobody
        return {"viewer": ANONYMOUS}


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # {% trans %} blocks collapse their whitespace, as `make messages` extracts them.
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(
        {
            "safe_url": safe_url,
            "path_segment": path_segment,
            "lang_attr": lang_attr,
            "day": day,
            "moment": moment,
            "number": number,
            "body_html": body_html,
            "title_html": title_html,
            "snippet": snippet,
            "diff_html": diff_html,
            "language_name": language_name,
            "role_label": role_label,
            "word": word,
            "localise": localise,
        }
    )
    env.globals.update(
        {
            "following": following,
            "watch_label": watch_label,
            "country_label": country_label,
            "url_with": url_with,
            "country_facet_label": country_facet_label,
            "author_facet_label": author_facet_label,
            "plain_facet_label": plain_facet_label,
            "language_facet_label": language_facet_label,
            "entry_kind": entry_kind,
            "schema_label": schema_label,
            "current_language": current_language,
            "interface_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        }
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return Jinja2Templates(env=env, context_processors=[viewer_context])
