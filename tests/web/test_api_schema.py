"""The API against its own OpenAPI schema with generated inputs (schemathesis).

Any input at all, valid or not, must get a documented answer: 200 with the
documented body, 404 or 422 in the one error shape, and never a 500.  Cases
come from schemathesis' strategies and run through hypothesis directly (its
pytest plugin does not load under pytest 9).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from kartoteka.auth.roles import Actor, Role
from kartoteka.services.accounts import AccountService
from kartoteka.services.api_tokens import ApiTokenService
from kartoteka.store.database import Database
from kartoteka.web.app import create_app
from tests.web.accounts_support import cheap_passwords

from .conftest import WebData

OPERATIONS = [
    "/api/v1/articles",
    "/api/v1/articles/{article_id}",
    "/api/v1/search",
    "/api/v1/authors",
    "/api/v1/entities",
    "/api/v1/entities/{entity_id}",
    "/api/v1/match",
    "/api/v1/catalog",
    "/api/v1/articles/{article_id}/related",
]
# The alerts API: the caller's own watchlists and alerts, with an API token.
ALERT_OPERATIONS = [
    ("GET", "/api/v1/watchlists"),
    ("POST", "/api/v1/watchlists"),
    ("DELETE", "/api/v1/watchlists/{watchlist_id}"),
    ("POST", "/api/v1/watchlists/{watchlist_id}/feed"),
    ("GET", "/api/v1/alerts"),
    ("POST", "/api/v1/alerts/read"),
]


@pytest.fixture(scope="module")
def api_schema(linked_site: tuple[Database, WebData]) -> Any:
    database, _data = linked_site
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(database))


def test_the_schema_lists_exactly_our_operations(api_schema: Any) -> None:
    found = sorted(op.ok().path for op in api_schema.get_all_operations())
    assert found == sorted(OPERATIONS + [path for _method, path in ALERT_OPERATIONS])


# The authors list takes no parameters, and schemathesis cannot put an invalid
# value into a path segment (every candidate fails its own filter); test_api
# sends the invalid article ids (too long, NUL) by hand.
def assert_error_shape(body: Any) -> None:
    """Every refusal is the API's one error shape, never a framework's default."""
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}


CASES = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    (path, GenerationMode.NEGATIVE)
    for path in (
        "/api/v1/articles",
        "/api/v1/search",
        "/api/v1/entities",
        "/api/v1/match",
        "/api/v1/catalog",
    )
]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_api_answers_every_input(api_schema: Any, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path]["GET"]
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code in (200, 404, 422), (case.path_parameters, case.query)
        if response.status_code == 200:
            case.validate_response(response)
        else:
            assert_error_shape(response.json())

    run()
    assert statuses, "hypothesis generated no cases"
    if mode is GenerationMode.NEGATIVE:
        assert 422 in statuses


@pytest.fixture(scope="module")
def api_token(linked_site: tuple[Database, WebData]) -> str:
    """A reader's API token on the shared site (its watchlists start empty)."""
    database, _data = linked_site
    made = AccountService(database, passwords=cheap_passwords()).add_user(
        Actor.operator("test"), "schema@example.org", Role.READER, password="x" * 12
    )
    reader = Actor("schema@example.org", Role.READER, made.user.pk)
    return ApiTokenService(database).create(reader, "schema test").secret


# Invalid inputs only where there is a query or a body to spoil (see CASES).
ALERT_CASES = [(m, p, GenerationMode.POSITIVE) for m, p in ALERT_OPERATIONS] + [
    (method, path, GenerationMode.NEGATIVE)
    for method, path in ALERT_OPERATIONS
    if (method, path) in (("GET", "/api/v1/alerts"), ("POST", "/api/v1/watchlists"),
                          ("POST", "/api/v1/alerts/read"))
]


@pytest.mark.parametrize(("method", "path", "mode"), ALERT_CASES)
def test_alerts_api_answers_every_input(
    api_schema: Any, api_token: str, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {api_token}"})
        statuses.append(response.status_code)
        assert response.status_code in (200, 201, 204, 400, 404, 422), (
            case.path_parameters, case.query, case.body)
        if response.status_code < 300:
            case.validate_response(response)
        else:
            assert_error_shape(response.json())

    run()
    assert statuses, "hypothesis generated no cases"
    if mode is GenerationMode.NEGATIVE:
        assert 422 in statuses
