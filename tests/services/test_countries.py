from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.services.countries import (
    CountryNotFound,
    country_label,
    country_view,
)
from kartoteka.services.ingest import IngestService
from kartoteka.services.overview import overview
from kartoteka.store.database import Database


def test_labels_for_known_and_unknown_codes() -> None:
    assert country_label("XK") == country_label("xk")
    assert (country_label("xk").name, country_label("xk").flag) == ("Kosovo", "🇽🇰")
    assert (country_label("zz").name, country_label("zz").flag) == ("ZZ", "")


def test_country_view_and_unknown_codes(db: Database, corpus_dir: Path) -> None:
    IngestService(db).ingest([str(corpus_dir)])
    view = country_view(db, "RS", limit=2)
    assert (view.country.code, view.total, len(view.articles)) == ("rs", 3, 2)
    assert [f.value for f in view.facets.authors] == ["@balkan_test", "@russkiy_test"]
    assert country_view(db, "fr").total == 0
    with pytest.raises(CountryNotFound, match="'zz'"):
        country_view(db, "zz")


def test_overview_counts(db: Database, corpus_dir: Path) -> None:
    IngestService(db).ingest([str(corpus_dir)])
    summary = overview(db, latest=3)
    assert (summary.articles, summary.authors, summary.countries) == (7, 4, 4)
    assert summary.languages == {"en": 6, "ru": 1}
    assert [a.title for a in summary.latest] == [
        "Belgrade talks",
        "Косово и сербская история",
        "The Kosovo Liberation Army after 1999",
    ]
