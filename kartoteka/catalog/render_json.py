"""The catalog as JSON, in exactly the shape ``Catalog.as_dict`` gives."""

from __future__ import annotations

import json

from kartoteka.catalog.model import Catalog


def render_json(catalog: Catalog) -> str:
    return json.dumps(catalog.as_dict(), ensure_ascii=False, indent=2) + "\n"
