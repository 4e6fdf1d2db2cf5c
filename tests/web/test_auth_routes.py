"""Signing in and out through the web: cookies, session fixation, CSRF on every
post, rate limits, API tokens and one-time links that expire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from kartoteka.auth.ratelimit import RateLimited
from kartoteka.auth.roles import Actor, Role
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.store.database import Database
from kartoteka.web.csrf import VISITOR_COOKIE

from .accounts_support import Site, csrf_in
from .conftest import WebData


@pytest.fixture
def site(db: Database) -> Site:
    return Site(db)


def _set_cookie(response: object, name: str = COOKIE_NAME) -> str:
    headers = response.headers
    found = [h for h in headers.get_list("set-cookie") if h.startswith(name + "=")]
    assert found, f"no {name} cookie was set"
    return str(found[-1])


def test_sign_in_sets_a_new_httponly_samesite_cookie(site: Site) -> None:
    client = site.client()
    visitor = csrf_in(client.get("/login").text)
    before = client.cookies.get(COOKIE_NAME)
    response = client.post(
        "/login",
        data={
            "csrf_token": visitor,
            "email": site.email("editor"),
            "password": site.passwords["editor"],
            "next": "/review",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/review"
    cookie = _set_cookie(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http on 127.0.0.1: a Secure cookie would never return
    assert client.cookies.get(COOKIE_NAME) != before
    assert client.get("/review").status_code == 200


def test_cookie_is_secure_over_https(site: Site) -> None:
    client = site.client(https=True)
    response = client.get("/login")
    assert "secure" in _set_cookie(response, VISITOR_COOKIE).lower()
    token = csrf_in(response.text)
    data = {
        "csrf_token": token, "email": site.email("reader"), "password": site.passwords["reader"]
    }
    signed_in = client.post("/login", data=data, follow_redirects=False)
    assert "secure" in _set_cookie(signed_in).lower()


def test_next_never_leaves_the_site(site: Site) -> None:
    client = site.client()
    token = csrf_in(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "csrf_token": token,
            "email": site.email("reader"),
            "password": site.passwords["reader"],
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_session_fixation_a_planted_id_is_worthless_after_sign_in(site: Site) -> None:
    # The attacker signs in to an account of its own and plants that session's
    # id in the victim's browser.
    attacker = site.client()
    site.sign_in_through_form(attacker, site.email("reader"), site.passwords["reader"])
    planted = attacker.cookies.get(COOKIE_NAME)
    assert planted
    victim = site.client()
    victim.cookies.set(COOKIE_NAME, planted, domain="testserver.local")
    assert site.sign_in_through_form(victim, site.email("admin"), site.passwords["admin"]) == 303
    assert victim.cookies.get(COOKIE_NAME) != planted
    assert site.services.sessions.resolve(planted) is None
    # The attacker, still holding the planted id, is an anonymous visitor.
    response = attacker.get("/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert victim.get("/admin/users").status_code == 200


def test_wrong_password_says_so_without_naming_the_account(site: Site) -> None:
    client = site.client()
    token = csrf_in(client.get("/login").text)
    response = client.post(
        "/login", data={"csrf_token": token, "email": site.email("editor"), "password": "x" * 12}
    )
    assert response.status_code == 400
    assert "wrong e-mail address or password" in response.text
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(site: Site) -> None:
    client = site.client()
    site.sign_in_through_form(client, site.email("editor"), site.passwords["editor"])
    session = client.cookies.get(COOKIE_NAME)
    assert session
    token = csrf_in(client.get("/review").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert site.services.sessions.resolve(session) is None
    replay = site.client()
    replay.cookies.set(COOKIE_NAME, session, domain="testserver.local")
    assert replay.get("/review", follow_redirects=False).status_code == 303


# --- CSRF -----------------------------------------------------------------------------------------


def _post_routes(site: Site) -> list[str]:
    paths = []
    for route in iter_route_contexts(site.app.routes):
        if route.methods and "POST" in route.methods and route.path:
            paths.append(re.sub(r"\{[^}]+\}", "1234567890", route.path))
    return paths


def test_every_post_is_refused_without_or_with_a_wrong_csrf_token(site: Site) -> None:
    posts = _post_routes(site)
    assert len(posts) >= 20
    admin, token = site.signed_in("admin")
    _other, other_token = site.signed_in("admin")
    # The API's posts take no CSRF token: a session cookie alone never gets through.
    for path in [p for p in posts if p.startswith("/api/")]:
        response = admin.post(path, data={"csrf_token": token}, follow_redirects=False)
        assert response.status_code == 401, (path, response.status_code)
        assert "API token" in response.json()["error"]["message"]
    for path in [p for p in posts if not p.startswith("/api/")]:
        for data in ({}, {"csrf_token": "0" * 64}, {"csrf_token": other_token}):
            response = admin.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, data, response.status_code)
            assert "security token" in response.text
    # The admin's own token gets through the check (and the route then runs).
    response = admin.post("/account/tokens", data={"csrf_token": token, "name": "ok"})
    assert response.status_code == 200


def test_csrf_refusal_changes_nothing(site: Site) -> None:
    admin, _token = site.signed_in("admin")
    before = len(site.services.joins.list(Actor.operator(), status=None))
    admin.post("/join", data={"name": "Mallory", "contact": "m@example.org"})
    assert len(site.services.joins.list(Actor.operator(), status=None)) == before


# --- rate limits ----------------------------------------------------------------------------------


def test_login_is_rate_limited_with_retry_after_and_a_friendly_page(site: Site) -> None:
    client = site.client()
    token = csrf_in(client.get("/login").text)
    email = site.email("editor")
    for _ in range(5):
        response = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": "wrong-password"}
        )
        assert response.status_code == 400
    # Now even the right password waits: that is what stops guessing.
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": site.passwords["editor"]},
    )
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 15 * 60
    assert response.headers["content-type"].startswith("text/html")
    assert "too many login attempts" in response.text
    assert 'id="f-email"' in response.text  # the form is still there to try again later
    site.clock.advance(timedelta(minutes=16))
    assert site.sign_in_through_form(client, email, site.passwords["editor"]) == 303


def test_join_requests_are_rate_limited(site: Site) -> None:
    client = site.client()
    token = csrf_in(client.get("/join").text)
    data = {"csrf_token": token, "name": "Ann", "contact": "ann@example.org"}
    for _ in range(3):
        assert client.post("/join", data=data, follow_redirects=False).status_code == 303
    response = client.post("/join", data=data)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert "too many join requests" in response.text
    assert len(site.services.joins.list(Actor.operator())) == 3


def test_a_rate_limit_under_the_api_has_the_one_error_shape(site: Site) -> None:
    probe = APIRouter()

    @probe.get("/api/v1/probe-rate-limit")
    def limited() -> None:
        raise RateLimited("probes", timedelta(seconds=42))

    site.app.include_router(probe)
    response = site.client().get("/api/v1/probe-rate-limit")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "42"
    assert response.json() == {
        "error": {"code": "rate_limited", "message": "too many probes: try again in 42 s"}
    }


def test_join_form_ties_errors_to_fields(site: Site) -> None:
    client = site.client()
    token = csrf_in(client.get("/join").text)
    response = client.post("/join", data={"csrf_token": token, "name": "", "contact": ""})
    assert response.status_code == 422
    assert 'aria-describedby="f-name-error"' in response.text
    assert 'id="f-name-error"' in response.text
    assert 'aria-invalid="true"' in response.text


# --- API tokens -----------------------------------------------------------------------------------


def _create_token(client: TestClient, token: str, name: str, scope: str) -> str:
    response = client.post(
        "/account/tokens", data={"csrf_token": token, "name": name, "scope": scope}
    )
    assert response.status_code == 200
    found = re.search(r'id="new-token">([^<]+)<', response.text)
    assert found
    return found.group(1)


def test_api_tokens_are_scoped_by_role_and_revocable(site: Site, web_data: WebData) -> None:
    draft = site.services.review.submit_text(
        Actor(site.email("contributor"), Role.CONTRIBUTOR), "Unpublished notes", "Draft text."
    ).article_id
    editor, token = site.signed_in("editor")
    as_editor = _create_token(editor, token, "full", "editor")
    as_reader = _create_token(editor, token, "read only", "reader")
    api = site.client()

    def get(secret: str) -> int:
        headers = {"Authorization": f"Bearer {secret}"}
        return api.get(f"/api/v1/articles/{draft}", headers=headers).status_code

    assert api.get(f"/api/v1/articles/{draft}").status_code == 404
    assert get(as_editor) == 200
    assert get(as_reader) == 404  # the token's scope, not the owner's role
    # The secret is not shown again.
    assert as_editor not in editor.get("/account").text
    # A demoted owner demotes every token.
    site.services.accounts.change_role(Actor.operator(), site.email("editor"), Role.READER)
    assert get(as_editor) == 404
    site.services.accounts.change_role(Actor.operator(), site.email("editor"), Role.EDITOR)
    pk = site.services.tokens.list(
        site.services.accounts.get_user(site.email("editor")).as_actor()
    )[0].pk
    assert (
        editor.post(
            f"/account/tokens/{pk}/revoke", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    revoked = api.get("/api/v1/articles", headers={"Authorization": f"Bearer {as_editor}"})
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "unauthorized"
    assert revoked.headers["www-authenticate"] == "Bearer"


def test_a_reader_cannot_mint_an_editor_token(site: Site) -> None:
    reader, token = site.signed_in("reader")
    response = reader.post(
        "/account/tokens", data={"csrf_token": token, "name": "x", "scope": "editor"}
    )
    assert response.status_code == 422
    assert (
        site.services.tokens.list(site.services.accounts.get_user(site.email("reader")).as_actor())
        == []
    )


# --- one-time links -------------------------------------------------------------------------------


def _accept_join_request(site: Site, email: str) -> str:
    site.services.joins.create("Ann Author", email, "@ann", "I write about the Sahel.")
    pending = site.services.joins.list(Actor.operator())[0]
    admin, token = site.signed_in("admin")
    page = admin.get("/admin/join-requests")
    assert "Ann Author" in page.text and "I write about the Sahel." in page.text
    response = admin.post(
        f"/admin/join-requests/{pending.pk}/accept", data={"csrf_token": token, "email": email}
    )
    assert response.status_code == 200
    found = re.search(r'id="issued-link">http://testserver(/invitation/[^<]+)<', response.text)
    assert found, "the accepted request shows its invitation link"
    return found.group(1)


def _set_password(client: TestClient, path: str, password: str) -> int:
    token = csrf_in(client.get(path).text)
    return client.post(
        path,
        data={"csrf_token": token, "password": password, "password2": password},
        follow_redirects=False,
    ).status_code


def test_invitation_sets_a_password_once(site: Site) -> None:
    path = _accept_join_request(site, "ann@example.org")
    user = site.services.accounts.get_user("ann@example.org")
    assert user.role is Role.CONTRIBUTOR and not user.has_password
    client = site.client()
    assert _set_password(client, path, "a-long-enough-password") == 303
    assert site.sign_in_through_form(client, "ann@example.org", "a-long-enough-password") == 303
    assert client.get("/submit").status_code == 200
    again = site.client().get(path)
    assert again.status_code == 410
    assert "already used or expired" in again.text


def test_invitation_expires(site: Site) -> None:
    path = _accept_join_request(site, "late@example.org")
    client = site.client()
    page = client.get(path)
    assert page.status_code == 200
    site.clock.advance(timedelta(days=7, seconds=1))
    assert client.get(path).status_code == 410
    token = csrf_in(client.get("/join").text)  # a live session, so only the link is stale
    response = client.post(
        path, data={"csrf_token": token, "password": "p" * 12, "password2": "p" * 12}
    )
    assert response.status_code == 410
    assert not site.services.accounts.get_user("late@example.org").has_password


def test_password_reset_link_expires_after_an_hour(site: Site) -> None:
    admin, token = site.signed_in("admin")
    reader = site.services.accounts.get_user(site.email("reader"))

    def issue() -> str:
        response = admin.post(f"/admin/users/{reader.pk}/reset-link", data={"csrf_token": token})
        assert response.status_code == 200
        found = re.search(
            r'id="issued-link">http://testserver(/password-reset/[^<]+)<', response.text
        )
        assert found
        return found.group(1)

    stale = issue()
    site.clock.advance(timedelta(hours=1, seconds=1))
    assert site.client().get(stale).status_code == 410
    client = site.client()
    visitor = csrf_in(client.get("/join").text)
    data = {"csrf_token": visitor, "password": "new-password-123", "password2": "new-password-123"}
    assert client.post(stale, data=data).status_code == 410
    fresh = issue()
    assert _set_password(site.client(), fresh, "new-password-123") == 303
    client = site.client()
    assert site.sign_in_through_form(client, reader.email, site.passwords["reader"]) == 400
    assert site.sign_in_through_form(client, reader.email, "new-password-123") == 303


def test_mismatched_passwords_point_at_the_second_field(site: Site) -> None:
    path = _accept_join_request(site, "typo@example.org")
    client = site.client()
    token = csrf_in(client.get(path).text)
    response = client.post(
        path, data={"csrf_token": token, "password": "p" * 12, "password2": "q" * 12}
    )
    assert response.status_code == 422
    assert 'id="f-password2-error"' in response.text


def test_changing_ones_password_ends_other_sessions_and_tokens(site: Site) -> None:
    """Issue 14, defect 9: the old sessions and API tokens used to stay valid."""
    here, elsewhere = site.client(), site.client()
    for client in (here, elsewhere):
        assert site.sign_in_through_form(client, site.email("editor"), site.passwords["editor"])
    user = site.services.accounts.get_user(site.email("editor"))
    created = site.services.tokens.create(user.as_actor(), "laptop")
    bearer = {"Authorization": f"Bearer {created.secret}"}
    assert site.client().get("/api/v1/search?q=x", headers=bearer).status_code == 200
    old_session = here.cookies.get(COOKIE_NAME)

    token = csrf_in(here.get("/account").text)
    response = here.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": site.passwords["editor"],
            "password": "a-new-password-42",
            "password2": "a-new-password-42",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert elsewhere.get("/review", follow_redirects=False).status_code == 303
    assert site.client().get("/api/v1/search?q=x", headers=bearer).status_code == 401
    assert site.services.sessions.resolve(old_session or "") is None
    assert here.cookies.get(COOKIE_NAME) != old_session
    assert here.get("/review").status_code == 200  # this browser stays signed in
