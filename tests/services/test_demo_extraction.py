"""The demo loads the registry before the articles, so they arrive linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.services import entities
from kartoteka.services.demo import build_demo
from kartoteka.services.registry import get_entity


def test_demo_links_articles_and_resolves_citations(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))
    db, summary = build_demo(tmp_path / "demo.db")
    try:
        data = summary.as_dict()
        assert data["entities"] > 50
        assert 0 < data["linked_mentions"] < data["mentions"]
        assert data["candidates"] > 0
        thaci = entities.entity_page(db, "ktk-per-thaci")
        assert len(thaci.articles) >= 2 and thaci.mentions >= thaci.articles[0].mentions
        # Cited by URL in the registry file; the articles are stored now.
        citations = [c for r in get_entity(db, "ktk-per-thaci").relations for c in r.citations]
        assert citations and all(c.article_id for c in citations)
    finally:
        db.dispose()
