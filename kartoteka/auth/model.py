"""Accounts as plain records: users, sessions, API tokens, join requests, links.

No secret is ever held here in the clear except where it is handed out once
(``Issued``); rows keep only digests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kartoteka.auth.roles import Actor, Role


class JoinStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class LinkPurpose(StrEnum):
    """What a one-time link lets its holder do: set a first password, or a new one."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


@dataclass(frozen=True, slots=True)
class User:
    pk: int
    email: str
    display_name: str
    role: Role
    created_at: datetime
    handle: str | None = None
    disabled_at: datetime | None = None
    has_password: bool = False
    language: str | None = None  # the interface language chosen; None: the browser decides

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def as_actor(self, role: Role | None = None) -> Actor:
        return Actor(self.email, role or self.role, self.pk)

    def snapshot(self) -> dict[str, Any]:
        """What the audit log keeps of a user: never the password hash."""
        return {
            "email": self.email,
            "display_name": self.display_name,
            "handle": self.handle,
            "role": self.role.value,
            "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None,
        }


@dataclass(frozen=True, slots=True)
class Session:
    pk: int
    user_pk: int | None
    created_at: datetime
    expires_at: datetime
    csrf_secret: str


@dataclass(frozen=True, slots=True)
class ApiToken:
    pk: int
    user_pk: int
    name: str
    scope: Role
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class JoinRequest:
    pk: int
    name: str
    contact: str
    handle: str
    note: str
    status: JoinStatus
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    user_pk: int | None = None

    def snapshot(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "contact": self.contact,
            "handle": self.handle,
            "status": self.status.value,
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True, slots=True)
class OneTimeLink:
    pk: int
    user_pk: int
    purpose: LinkPurpose
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Issued:
    """A secret shown once (a session id, token or link token) and what it grants."""

    secret: str
    expires_at: datetime | None = None
