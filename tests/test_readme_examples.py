"""Every README example runs on the demo database and finds something (issue 17).

The convention (stated in the README's "Usage"): a code block fenced as
```` ```sh demo ```` holds commands that run as written on the demo database,
from the repository's root; one fenced as ```` ```sh skip: REASON ```` is not
run, for that reason (your own files, the network, a server, PostgreSQL).
Every ``sh`` block with a ``kartoteka`` command must say which it is.

The demo is built once for the module and the examples run in README order
in this process (the CLI runner), so an example may rely on an earlier one
(``registry import`` reads the file ``registry export`` wrote).  The
``$ kartoteka …`` transcripts in ``text`` blocks are checked too: each
``N result(s)`` they show is what the command prints on the demo.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.services.demo import SAMPLE_DATA, build_demo, demo_accounts
from tests.web.accounts_support import cheap_passwords

README = Path(__file__).resolve().parents[1] / "README.md"
_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
_RESULTS = re.compile(r"^(\d+) result\(s\)$", re.M)


def _blocks() -> list[tuple[str, str, str]]:
    """(language, the rest of the fence line, body) of every fenced block."""
    text = README.read_text(encoding="utf-8")
    return [(m[1], m[2].strip(), m[3]) for m in _FENCE.finditer(text)]


def _commands(body: str, prompt: str = "") -> list[str]:
    start = prompt + "kartoteka "
    return [line[len(prompt):] for line in body.splitlines() if line.startswith(start)]


def demo_examples() -> list[str]:
    return [c for lang, info, body in _blocks() if lang == "sh" and info == "demo"
            for c in _commands(body)]


def transcripts() -> list[tuple[str, int]]:
    """(command, the result count shown under it) from the ``text`` transcripts."""
    found = []
    for lang, _info, body in _blocks():
        if lang != "text":
            continue
        for chunk in body.split("$ ")[1:]:
            command, _, output = chunk.partition("\n")
            shown = _RESULTS.search(output)
            if command.startswith("kartoteka ") and shown:
                found.append((command, int(shown[1])))
    return found


def test_every_example_block_says_whether_it_runs() -> None:
    unmarked = [
        body.strip().splitlines()[0]
        for lang, info, body in _blocks()
        if lang == "sh" and _commands(body)
        and info != "demo" and not (info.startswith("skip:") and info[5:].strip())
    ]
    assert unmarked == [], "fence these as ```sh demo or ```sh skip: REASON"
    assert len(demo_examples()) >= 30
    assert len(transcripts()) >= 4


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo database (with its accounts) and a working directory that holds
    ``kartoteka/sample_data`` where the repository's root does."""
    work = tmp_path_factory.mktemp("readme")
    db, _summary = build_demo(work / "kartoteka-demo.db")
    try:
        demo_accounts(db, cheap_passwords())  # `users list` lists them
    finally:
        db.dispose()
    (work / "kartoteka").mkdir()
    (work / "kartoteka" / "sample_data").symlink_to(SAMPLE_DATA, target_is_directory=True)
    yield f"sqlite:///{work / 'kartoteka-demo.db'}", work


def _run(demo: tuple[str, Path], command: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    url, work = demo
    monkeypatch.chdir(work)
    monkeypatch.setenv("KARTOTEKA_DATABASE_URL", url)
    args = shlex.split(command, comments=True)[1:]
    # "y" answers the one example that asks first (restore).
    result = CliRunner().invoke(app, args, input="y\n", catch_exceptions=False)
    assert result.exit_code == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def _json_values(stdout: str) -> list[Any] | None:
    """The output as JSON values (one document, or JSON lines), or None when it is text."""
    try:
        return [json.loads(stdout)]
    except ValueError:
        pass
    try:
        return [json.loads(line) for line in stdout.splitlines() if line.strip()]
    except ValueError:
        return None


def _empty_reason(value: Any) -> str | None:
    if value in ([], {}, None):
        return "an empty answer"
    if isinstance(value, dict):
        if value.get("total") == 0 or value.get("hits") == []:
            return "no hits"
        if "best" in value and value["best"] is None:
            return "no match"
    return None


@pytest.mark.parametrize("command", demo_examples())
def test_readme_example_works_on_the_demo(
    command: str, demo: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(demo, command, monkeypatch)
    stdout = result.stdout
    args = shlex.split(command, comments=True)
    if "--output" in args:
        written = demo[1] / args[args.index("--output") + 1]
        assert written.is_file() and written.stat().st_size > 0, command
        return
    assert stdout.strip() or result.stderr.strip(), f"{command} printed nothing"
    assert not re.search(r"^0 result\(s\)", stdout, re.M), f"{command} found nothing"
    values = _json_values(stdout) if "--json" in args else None
    for value in values or []:
        assert _empty_reason(value) is None, f"{command}: {_empty_reason(value)}\n{stdout}"


@pytest.mark.parametrize(("command", "shown"), transcripts())
def test_readme_transcripts_show_what_the_demo_prints(
    command: str, shown: int, demo: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout = _run(demo, command, monkeypatch).stdout
    found = _RESULTS.search(stdout)
    printed = int(found[1]) if found else json.loads(stdout)["total"]
    assert printed == shown, f"{command}: the README shows {shown} result(s), it prints {printed}"
