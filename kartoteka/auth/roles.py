"""Roles, the actions they allow, and who is acting.

Roles are ordered: each one may do everything the one below it may.  The
permission table names, for every action, the lowest role allowed to do it;
``None`` (an anonymous visitor) may only read what is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    CONTRIBUTOR = "contributor"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Role:
        """A role from user input, with an error that lists the valid ones."""
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown role {value!r}: use one of {', '.join(r.value for r in cls)}"
            ) from None


_ORDER = (Role.READER, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN)


def lower_role(a: Role, b: Role) -> Role:
    """The weaker of two roles: an API token never grants more than its owner has."""
    return a if a.rank <= b.rank else b


class Action(StrEnum):
    READ_PUBLISHED = "read_published"
    MANAGE_OWN_TOKENS = "manage_own_tokens"
    SUBMIT = "submit"
    READ_DRAFTS = "read_drafts"
    REVIEW = "review"
    PUBLISH = "publish"
    EDIT_ARTICLES = "edit_articles"
    DELETE_ARTICLES = "delete_articles"
    EDIT_REGISTRY = "edit_registry"
    JUDGE_ENTITIES = "judge_entities"
    RESTORE_DELETED = "restore_deleted"
    MANAGE_USERS = "manage_users"
    DECIDE_JOIN_REQUESTS = "decide_join_requests"
    READ_AUDIT_LOG = "read_audit_log"
    BACKUP = "backup"
    MANAGE_SOURCES = "manage_sources"
    MANAGE_JOBS = "manage_jobs"
    MERGE_AUTHORS = "merge_authors"


# The lowest role allowed each action; ``None`` means anonymous visitors too.
PERMISSIONS: dict[Action, Role | None] = {
    Action.READ_PUBLISHED: None,
    Action.MANAGE_OWN_TOKENS: Role.READER,
    Action.SUBMIT: Role.CONTRIBUTOR,
    Action.READ_DRAFTS: Role.EDITOR,
    Action.REVIEW: Role.EDITOR,
    Action.PUBLISH: Role.EDITOR,
    Action.EDIT_ARTICLES: Role.EDITOR,
    Action.DELETE_ARTICLES: Role.EDITOR,
    Action.EDIT_REGISTRY: Role.EDITOR,
    Action.JUDGE_ENTITIES: Role.EDITOR,
    Action.RESTORE_DELETED: Role.ADMIN,
    Action.MANAGE_USERS: Role.ADMIN,
    Action.DECIDE_JOIN_REQUESTS: Role.ADMIN,
    Action.READ_AUDIT_LOG: Role.ADMIN,
    Action.BACKUP: Role.ADMIN,
    Action.MANAGE_SOURCES: Role.ADMIN,
    Action.MANAGE_JOBS: Role.ADMIN,
    Action.MERGE_AUTHORS: Role.ADMIN,
}


def can(role: Role | None, action: Action) -> bool:
    """True when ``role`` (``None`` for anonymous) may perform ``action``."""
    needed = PERMISSIONS[action]
    if needed is None:
        return True
    return role is not None and role.at_least(needed)


class PermissionDenied(PermissionError):
    def __init__(self, actor: Actor, action: Action) -> None:
        needed = PERMISSIONS[action]
        super().__init__(
            f"{actor.label} ({actor.role or 'anonymous'}) may not {action.value.replace('_', ' ')}"
            f": it needs the {needed} role or higher"
        )
        self.action = action


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever performs an action: a signed-in user, an API token, or the operator.

    ``label`` is what the audit log records (an e-mail address, or ``cli``
    for someone at the server's shell, who can already read the database).
    """

    label: str
    role: Role | None
    user_pk: int | None = None

    @classmethod
    def anonymous(cls) -> Actor:
        return cls("anonymous", None)

    @classmethod
    def operator(cls, label: str = "cli") -> Actor:
        return cls(label, Role.ADMIN)

    def can(self, action: Action) -> bool:
        return can(self.role, action)

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise PermissionDenied(self, action)
