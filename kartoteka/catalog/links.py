"""Which entry URLs may become links in a rendered catalog.

Titles and URLs come from authors and imported posts, so a URL is only
linked when it is plainly http(s): no ``javascript:``, ``data:`` or
whitespace tricks that browsers would forgive.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Control characters, spaces and the characters that would end an attribute
# or a Markdown link; a URL containing them is not linked at all.
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>`\\]")


def linkable_url(url: str | None) -> str | None:
    """The URL if it is safe to put in ``href``, else ``None``."""
    if not url or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": an unclosed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
