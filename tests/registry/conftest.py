from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def registry_data(data_dir: Path) -> Path:
    """Our own FtM and CSV registry files, good and bad."""
    return data_dir / "registry"
