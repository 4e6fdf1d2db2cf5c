"""One entry point for rendering a catalog page in a named format."""

from __future__ import annotations

from collections.abc import Callable

from kartoteka.catalog.model import Catalog
from kartoteka.catalog.render_html import render_html
from kartoteka.catalog.render_json import render_json
from kartoteka.catalog.render_markdown import render_markdown
from kartoteka.catalog.render_telegram import telegram_messages

__all__ = ["FORMATS", "render", "telegram_messages"]

_RENDERERS: dict[str, Callable[[Catalog], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "json": render_json,
}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def render(catalog: Catalog, fmt: str) -> str:
    """The catalog as one document; Telegram output is a list, see ``telegram_messages``."""
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        hint = " (use telegram_messages() for Telegram)" if fmt == "telegram" else ""
        raise ValueError(f"unknown catalog format {fmt!r}: choose one of {FORMATS}{hint}")
    return renderer(catalog)
