"""What a new user types for --db gets one clear line, never a traceback (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_plain_path_is_an_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    assert run("init", "--db", str(path))[0] == 0
    assert path.is_file()
    code, _, err = run("search", "anything", "--db", str(path))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("url", ["mysql://me:pw@localhost/k", "oracle+cx://x", "://"])
def test_an_unsupported_url_names_the_forms_that_work(url: str) -> None:
    code, _, err = run("search", "anything", "--db", url)
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and "unsupported database URL" in err
    assert "postgresql://" in err and "sqlite:///" in err


@pytest.mark.parametrize("command", [["search", "x"], ["show", "abc"], ["catalog"],
                                     ["export", "articles"], ["serve"], ["entities"]])
def test_reading_commands_never_create_a_database(
    tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for typed in (str(tmp_path / "mistyped.db"), f"sqlite:///{tmp_path}/mistyped.db",
                  "not a url"):
        code, _, err = run(*command, "--db", typed)
        assert code == 2 and "Traceback" not in err, (command, typed, err)
        assert err.startswith("error: no database at ") and "run `kartoteka init`" in err
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_not_a_database_either(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, _, err = run("search", "x", "--db", str(path))
    assert code == 2 and "no database at" in err
    assert path.stat().st_size == 0


def test_a_failed_connection_hides_the_password() -> None:
    url = "postgresql://someone:s3cret-pw@127.0.0.1:1/nothing"
    code, _, err = run("search", "x", "--db", url)
    assert code == 2 and "Traceback" not in err
    assert "s3cret-pw" not in err and "someone:***@127.0.0.1:1/nothing" in err
    assert err.count("\n") == 1
