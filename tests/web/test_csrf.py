"""Visitors' forms are protected without a session row (issue 14, defect 8)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kartoteka.store.accounts_tables import sessions
from kartoteka.store.database import Database
from kartoteka.web.csrf import VISITOR_COOKIE

from .accounts_support import Site, csrf_in


def session_rows(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(sessions)).scalar_one())


def test_anonymous_form_views_write_nothing_and_keep_the_cache(db: Database) -> None:
    site = Site(db)
    reader = site.client()
    assert reader.get("/").headers["x-kartoteka-cache"] == "miss"
    assert reader.get("/").headers["x-kartoteka-cache"] == "hit"

    for _ in range(200):
        visitor = site.client()
        page = visitor.get("/login")
        assert page.status_code == 200 and csrf_in(page.text)

    assert session_rows(db) == 0
    assert reader.get("/").headers["x-kartoteka-cache"] == "hit"


def test_a_visitor_form_needs_its_own_cookie_and_token(db: Database) -> None:
    site = Site(db)
    visitor = site.client()
    token = csrf_in(visitor.get("/login").text)
    assert visitor.get("/login").headers["cache-control"] == "private, no-store"
    data = {"email": site.email("reader"), "password": site.passwords["reader"]}

    # A forged post: another site's form carries no token, or one it made up,
    # or a token taken from its own visit (which does not match this cookie).
    attacker = site.client()
    stolen = csrf_in(attacker.get("/login").text)
    for forged in ({}, {"csrf_token": "x" * 40}, {"csrf_token": stolen}):
        response = visitor.post("/login", data={**data, **forged}, follow_redirects=False)
        assert response.status_code == 403
    # The token without the cookie (a post from a browser that never saw the form).
    bare = TestClient(site.app, raise_server_exceptions=False)
    response = bare.post("/login", data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 403
    assert session_rows(db) == 0

    signed_in = visitor.post("/login", data={**data, "csrf_token": token}, follow_redirects=False)
    assert signed_in.status_code == 303
    assert session_rows(db) == 1
    assert visitor.cookies.get(VISITOR_COOKIE)
