from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app

Run = Callable[..., "object"]


@pytest.fixture
def run(database_url: str) -> Callable[..., object]:
    """Run ``kartoteka`` with the test database; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str) -> object:
        return runner.invoke(app, ["--db", database_url, *args], catch_exceptions=False)

    return invoke
