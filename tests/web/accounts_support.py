"""Shared set-up for the account tests: an app with cheap password hashing and a
clock the test moves, users of every role, and signed-in test clients."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kartoteka.auth.passwords import Passwords, generate_password
from kartoteka.auth.roles import Actor, Role
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.services.wiring import Services, build_services
from kartoteka.settings import Settings
from kartoteka.store.database import Database
from kartoteka.web.app import create_app

ROLES = ("anonymous", "reader", "contributor", "editor", "admin")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def cheap_passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def csrf_in(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


class Site:
    """One app on one database, with a user of each role and their passwords."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = Clock()
        self.services: Services = build_services(
            Settings.from_env(db.url), db, passwords=cheap_passwords(), clock=self.clock
        )
        self.app: FastAPI = create_app(services=self.services)
        self.passwords: dict[str, str] = {}
        for role in ROLES[1:]:
            password = generate_password()
            self.services.accounts.add_user(
                Actor.operator("test"), self.email(role), Role(role), password=password
            )
            self.passwords[role] = password

    @staticmethod
    def email(role: str) -> str:
        return f"{role}@example.org"

    def client(self, *, https: bool = False) -> TestClient:
        base = "https://testserver" if https else "http://testserver"
        return TestClient(self.app, base_url=base, raise_server_exceptions=False)

    def signed_in(self, role: str) -> tuple[TestClient, str]:
        """A client with a session for ``role`` (a visitor's for anonymous) and its CSRF token."""
        client = self.client()
        user = None
        if role != "anonymous":
            user = self.services.accounts.get_user(self.email(role))
        issued = self.services.sessions.start(user)
        client.cookies.set(COOKIE_NAME, issued.secret, domain="testserver.local")
        token = self.services.sessions.csrf_token(issued.secret)
        assert token is not None
        return client, token

    def sign_in_through_form(self, client: TestClient, email: str, password: str) -> int:
        token = csrf_in(client.get("/login").text)
        response = client.post(
            "/login",
            data={"csrf_token": token, "email": email, "password": password},
            follow_redirects=False,
        )
        return response.status_code
