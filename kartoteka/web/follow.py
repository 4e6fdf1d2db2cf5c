"""What pages ask about following: whether the reader follows this page's subject.

A template global, so the entity, country, author and search pages show a
Follow or Unfollow button without each route looking it up.  Anonymous
readers are never asked about (their cached pages show "Sign in to follow").
"""

from __future__ import annotations

from fastapi import Request

from kartoteka.services.alerts import watch_label
from kartoteka.store.authors import author_key
from kartoteka.store.watchlists import Watchlist
from kartoteka.web.accounts import services_of
from kartoteka.web.deps import current_viewer


def watch_key(kind: str, target: str) -> str:
    """The key a watchlist of ``kind`` stores for the thing a page shows."""
    if kind == "author":
        return author_key(target)
    if kind == "country":
        return target.strip().lower()
    return target


def following(request: Request, kind: str, target: str) -> Watchlist | None:
    viewer = current_viewer(request)
    if viewer.is_anonymous:
        return None
    return services_of(request).alerts.following(viewer.actor, kind, watch_key(kind, target))



__all__ = ["following", "watch_key", "watch_label"]
