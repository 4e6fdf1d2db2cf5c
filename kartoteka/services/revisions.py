"""An article's revisions and what changed between two of them.

Two views of one change: a word diff for readers (articles are paragraphs,
and an edit of one word should show as that word) and a unified line diff
for editors and the CLI, as they know it from version control.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from kartoteka.i18n import Message
from kartoteka.model import Article, Revision
from kartoteka.services.articles import get_article
from kartoteka.store.database import Database

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]+")


class RevisionNotFound(LookupError):
    def __init__(self, article_id: str, number: int) -> None:
        super().__init__(
            Message("article %(id)r has no revision %(number)s", id=article_id, number=number)
        )
        self.article_id = article_id
        self.number = number


class Change(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class DiffPiece:
    change: Change
    text: str


def word_diff(before: str, after: str) -> list[DiffPiece]:
    """Pieces that rebuild ``before`` (same + removed) and ``after`` (same + added).

    Changes separated only by whitespace are one change: "in March" ->
    "until April" reads as one replacement, not two with a kept space.
    """
    old = _TOKENS.findall(before)
    new = _TOKENS.findall(after)
    # (removed, added) for a change, or (same, None) for unchanged text.
    runs: list[tuple[str, str | None]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("".join(old[a0:a1]), None))
        else:
            runs.append(("".join(old[a0:a1]), "".join(new[b0:b1])))
    merged: list[tuple[str, str | None]] = []
    for index, (text, added) in enumerate(runs):
        next_is_change = index + 1 < len(runs) and runs[index + 1][1] is not None
        previous_is_change = bool(merged) and merged[-1][1] is not None
        if added is None and not (text.isspace() and previous_is_change and next_is_change):
            merged.append((text, None))
        elif previous_is_change:
            removed, inserted = merged.pop()
            merged.append((removed + text, f"{inserted}{text if added is None else added}"))
        else:
            merged.append((text, added))
    pieces: list[DiffPiece] = []
    for text, added in merged:
        if added is None:
            pieces.append(DiffPiece(Change.SAME, text))
            continue
        if text:
            pieces.append(DiffPiece(Change.REMOVED, text))
        if added:
            pieces.append(DiffPiece(Change.ADDED, added))
    return pieces


def revision_diff(old: Revision, new: Revision, context: int = 3) -> str:
    """A unified diff of two revisions; the title is line one."""
    before = [old.title, "", *old.body.splitlines()]
    after = [new.title, "", *new.body.splitlines()]
    return "\n".join(
        difflib.unified_diff(
            before,
            after,
            fromfile=f"revision {old.number}",
            tofile=f"revision {new.number}",
            n=context,
            lineterm="",
        )
    )


@dataclass(slots=True)
class RevisionView:
    article: Article
    revision: Revision
    previous: Revision | None
    revisions: list[Revision]
    title_diff: list[DiffPiece]
    body_diff: list[DiffPiece]


def revision_view(
    db: Database, article_id: str, number: int, *, include_unpublished: bool = False
) -> RevisionView:
    detail = get_article(db, article_id, include_unpublished=include_unpublished)
    by_number = {r.number: r for r in detail.revisions}
    if number not in by_number:
        raise RevisionNotFound(article_id, number)
    revision = by_number[number]
    previous = by_number.get(number - 1)
    return RevisionView(
        article=detail.article,
        revision=revision,
        previous=previous,
        revisions=detail.revisions,
        title_diff=word_diff(previous.title if previous else "", revision.title),
        body_diff=word_diff(previous.body if previous else "", revision.body),
    )
