"""Page links for long lists: previous, next and a window of numbered pages."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import URL

WINDOW = 2


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pagination:
    total: int
    limit: int
    offset: int
    previous: str | None
    next: str | None
    pages: list[PageLink]

    @property
    def first_item(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.limit, self.total)


def paginate(url: URL, total: int, limit: int, offset: int) -> Pagination:
    """Links that keep every other query parameter and change only ``offset``."""

    def at(number: int) -> str:
        target = url.include_query_params(offset=(number - 1) * limit, limit=limit)
        return f"{target.path}?{target.query}"

    pages_total = max(1, -(-total // limit))
    current = offset // limit + 1
    numbers = sorted(
        {1, pages_total, *range(max(1, current - WINDOW), min(pages_total, current + WINDOW) + 1)}
    )
    return Pagination(
        total=total,
        limit=limit,
        offset=offset,
        previous=at(current - 1) if current > 1 else None,
        next=at(current + 1) if offset + limit < total else None,
        pages=[PageLink(n, at(n), n == current) for n in numbers] if pages_total > 1 else [],
    )


def url_with(url: URL, **params: str | None) -> str:
    """``url`` (path and query only) with ``params`` set, None removing one, and
    back on the first page, since a new filter makes the old offset meaningless."""
    target = url.remove_query_params(["offset", *params])
    target = target.include_query_params(**{k: v for k, v in params.items() if v})
    return f"{target.path}?{target.query}" if target.query else target.path
