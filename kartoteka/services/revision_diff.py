"""A unified diff between two revisions of an article, title first."""

from __future__ import annotations

import difflib

from kartoteka.model import Revision


def revision_diff(old: Revision, new: Revision, context: int = 3) -> str:
    """Line-based, as editors know it from version control; the title is line one."""
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
