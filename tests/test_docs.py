"""The README must mention every command, so the docs cannot fall behind the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from kartoteka.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def command_paths(group: Any, prefix: str = "kartoteka") -> Iterator[str]:
    """Every leaf command under a (Typer's) click group, as typed on the command line."""
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from command_paths(command, path)
        else:
            yield path


def test_every_command_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    paths = list(command_paths(root))
    assert len(paths) > 20
    missing = [
        p for p in paths if p not in readme and p.replace("kartoteka ", "", 1) + " " not in readme
    ]
    assert missing == [], f"document these commands in README.md: {missing}"


def test_readme_quickstart_has_exactly_two_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("## ", 1)[0]
    blocks = quickstart.split("```sh")[1:]
    assert [b.split("```", 1)[0].strip() for b in blocks] == ["make demo", "make test"]
