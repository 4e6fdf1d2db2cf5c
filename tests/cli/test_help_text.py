from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from kartoteka.cli import app
from kartoteka.cli.help_text import tidy_help


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*prefix, name))


def test_no_help_page_shows_python_type_names(capsys: pytest.CaptureFixture[str]) -> None:
    root = tidy_help(typer.main.get_command(app))
    paths = list(command_paths(root))
    assert ("registry", "relation", "add") in paths and len(paths) > 20
    for path in paths:
        root.main([*path, "--help"], prog_name="kartoteka", standalone_mode=False)
        shown = capsys.readouterr().out
        assert "Usage" in shown, path
        assert "<bool>" not in shown and "<str>" not in shown.split("Options")[-1], path
    root.main(["registry", "relation", "add", "--help"], standalone_mode=False)
    shown = capsys.readouterr().out
    assert "--cite          CITE" in shown and "--db            URL" in shown
