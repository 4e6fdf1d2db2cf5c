"""The packaging metadata stays in the form build tools will keep accepting."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_license_is_an_spdx_expression_with_a_setuptools_that_reads_it() -> None:
    # The table form (``{ text = ... }``) is deprecated by PEP 639; setuptools
    # reads the SPDX string only from version 77 on.
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert data["project"]["license"] == "MIT"
    requires = data["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    found = re.fullmatch(r"setuptools>=(\d+).*", setuptools)
    assert found is not None and int(found.group(1)) >= 77
    assert not any("License ::" in c for c in data["project"].get("classifiers", []))
