"""Authors and channels: who publishes, and how much of it is visible."""

from __future__ import annotations

from dataclasses import dataclass

from kartoteka.i18n import Message
from kartoteka.model import Author
from kartoteka.record import as_record
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database


class AuthorNotFound(LookupError):
    def __init__(self, handle: str) -> None:
        super().__init__(Message("no author or channel with handle %(handle)r", handle=handle))
        self.handle = handle


# The JSON of an author (``--json``, the API) calls its display name "name".
AUTHOR_NAMES = {"display_name": "name"}


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    author: Author
    articles: int

    def as_dict(self) -> dict[str, object]:
        """The author's fields (its display name as ``name``), then the count."""
        return {**as_record(self.author, rename=AUTHOR_NAMES), **as_record(self, omit=["author"])}


def list_authors(db: Database, *, with_articles_only: bool = True) -> list[AuthorSummary]:
    """Authors by handle; those whose every article is hidden are left out by default."""
    with db.read() as conn:
        rows = ArticleRepository(conn).list_authors()
    return [AuthorSummary(a, n) for a, n in rows if n or not with_articles_only]


def get_author(db: Database, handle: str) -> Author:
    with db.read() as conn:
        author = ArticleRepository(conn).get_author(handle)
    if author is None:
        raise AuthorNotFound(handle)
    return author
