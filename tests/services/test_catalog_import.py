"""Importing catalog posts: placeholders, links, candidates, idempotence, fill-in on ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kartoteka.services.catalog import build_catalog
from kartoteka.services.catalog_import import import_catalog
from kartoteka.services.matching import RegistryMatcher
from kartoteka.services.registry import import_file
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.catalog import catalog_keys
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities, candidates
from kartoteka.store.tables import article_countries, articles, authors

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "tests" / "data" / "catalog" / "import_quirks.txt"
SAMPLE_REGISTRY = ROOT / "kartoteka" / "sample_data" / "registry.ftm.jsonl"
SAMPLE_CATALOG = ROOT / "kartoteka" / "sample_data" / "catalog.md"


def counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (articles, article_countries, article_entities, candidates, authors,
                          catalog_keys)
        }


def shape(catalog: dict[str, Any]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    return [
        (c["code"], [(e["title"], e["kind"], e["entity_id"], e["authors"], e["url"])
                     for e in c["entries"]])
        for c in catalog["countries"]
    ]


def test_quirky_post_without_registry(db: Database) -> None:
    report = import_catalog(db, QUIRKS.read_text(encoding="utf-8"), source=QUIRKS.name)

    assert [(e.line, e.text[:9]) for e in report.errors] == [(7, "This line"), (9, "Atlantis:")]
    assert report.as_dict()["articles"] == {"added": 6, "found": 0, "updated": 1, "unchanged": 0}
    assert (report.countries, report.entries, report.authors_added) == (3, 7, 3)
    catalog = build_catalog(db).as_dict()
    kla = "https://example.org/kla"
    assert shape(catalog) == [
        ("xk", [("Hashim Thachi", "article", None, ["@balkan_archive"], None),
                ("Kosovo Liberation Army", "article", None, ["@balkan_archive"], kla),
                ("Хашим Тачи", "article", None, ["@vostochny_arkhiv"], None)]),
        ("mx", [("Los Zetas", "article", None, ["@cartel_watch"], None),
                ("Sinaloa Cartel", "article", None, [], None)]),
        ("rs", [("Arkan's Tigers", "article", None, [], None),
                ("Kosovo Liberation Army", "article", None, ["@balkan_archive"], kla)]),
    ]
    # The same link under two countries is one article listed under both.
    assert catalog["countries"][0]["entries"][1]["article_ids"] == \
        catalog["countries"][2]["entries"][1]["article_ids"]
    with db.read() as conn:
        rows = conn.execute(select(candidates.c.key, candidates.c.label, candidates.c.status)
                            .order_by(candidates.c.key)).all()
        zetas = ArticleRepository(conn).get(catalog["countries"][1]["entries"][0]["article_ids"][0])
    assert [tuple(r) for r in rows] == [
        ("arkan's tigers", "ORG", "open"), ("hashim thachi", "PER", "open"),
        ("kosovo liberation army", "ORG", "open"), ("los zetas", "ORG", "open"),
        ("sinaloa cartel", "ORG", "open"),
        ("хашим тач", "PER", "open"),  # keyed as extraction keys it: a stem
    ]
    assert zetas is not None and zetas.body == "" and zetas.countries == ["mx"]
    assert zetas.extra["catalog"]["fragment"] == "part 2"  # type: ignore[index]
    assert zetas.extra["catalog"]["line"] == 8  # type: ignore[index]


def test_importing_twice_changes_nothing(db: Database) -> None:
    text = QUIRKS.read_text(encoding="utf-8")
    import_catalog(db, text)
    before = counts(db)
    catalog = build_catalog(db).as_dict()

    again = import_catalog(db, text).as_dict()

    assert again["articles"] == {"added": 0, "found": 0, "updated": 0, "unchanged": 7}
    assert again["authors"] == {"added": 0}
    assert again["links"] == {"added": 0, "unchanged": 0}
    assert again["candidates"] == {"added": 0, "unchanged": 7}
    assert counts(db) == before
    assert build_catalog(db).as_dict() == catalog


def test_titles_link_to_registry_entities(db: Database) -> None:
    assert import_file(db, SAMPLE_REGISTRY).failed == 0
    report = import_catalog(db, QUIRKS.read_text(encoding="utf-8"))

    # KLA twice (one article), Thachi and Хашим Тачи (two articles) to one person,
    # Los Zetas and Sinaloa Cartel; Arkan's Tigers is not in the sample registry.
    assert report.as_dict()["links"] == {"added": 5, "unchanged": 1}
    catalog = build_catalog(db).as_dict()
    kosovo = next(c for c in catalog["countries"] if c["code"] == "xk")
    # (placeholders share their import time, so their authors' order is by article id)
    assert [(e["title"], e["kind"], e["entity_id"], sorted(e["authors"]))
            for e in kosovo["entries"]] == [
        ("Hashim Thaçi", "person", "ktk-per-thaci", ["@balkan_archive", "@vostochny_arkhiv"]),
        ("Kosovo Liberation Army", "organization", "ktk-org-kla", ["@balkan_archive"]),
    ]
    with db.read() as conn:
        origins = set(conn.execute(select(article_entities.c.origin, article_entities.c.role)))
        open_keys = list(conn.execute(select(candidates.c.key)).scalars())
    assert origins == {("catalog", "subject")}
    assert open_keys == ["arkan's tigers"]
    again = import_catalog(db, QUIRKS.read_text(encoding="utf-8")).as_dict()
    assert again["links"] == {"added": 0, "unchanged": 6}


def write_markdown(path: Path, title: str, body: str, author: str, url: str | None) -> str:
    front = [f"author: {author}", "date: 2024-03-01T10:00:00+00:00", "countries: xk",
             "language: en"] + ([f"url: {url}"] if url else [])
    path.write_text("---\n" + "\n".join(front) + f"\n---\n# {title}\n\n{body}\n",
                    encoding="utf-8")
    return str(path)


def test_ingested_article_fills_in_its_placeholder(db: Database, tmp_path: Path) -> None:
    import_catalog(db, QUIRKS.read_text(encoding="utf-8"))
    before = counts(db)["articles"]
    catalog = build_catalog(db).as_dict()
    kla_id = catalog["countries"][0]["entries"][1]["article_ids"][0]
    zetas_id = catalog["countries"][1]["entries"][0]["article_ids"][0]
    service = ingest_service(db, extract=False)

    by_link = service.ingest([write_markdown(
        tmp_path / "kla.md", "The Kosovo Liberation Army", "The KLA fought in 1998-1999.",
        "@balkan_archive", "https://example.org/kla")])
    by_title = service.ingest([write_markdown(
        tmp_path / "zetas.md", "Los Zetas (part 2)", "Second part: the split of 2010.",
        "@cartel_watch", None)])

    assert (by_link.revised, by_link.added, by_title.revised, by_title.added) == (1, 0, 1, 0)
    assert by_link.article_ids == [kla_id] and by_title.article_ids == [zetas_id]
    assert counts(db)["articles"] == before
    with db.read() as conn:
        repo = ArticleRepository(conn)
        kla, zetas = repo.get(kla_id), repo.get(zetas_id)
    assert kla is not None and kla.body == "The KLA fought in 1998-1999."
    assert zetas is not None and zetas.title == "Los Zetas (part 2)" and zetas.revision == 2
    # The same file with new text revises the same article again, by its source.
    again = service.ingest([write_markdown(
        tmp_path / "zetas.md", "Los Zetas (part 2)", "Second part, corrected.",
        "@cartel_watch", None)])
    assert (again.revised, again.article_ids) == (1, [zetas_id])
    # Filled in, it is no longer a placeholder: the same title by the same author is new.
    other = service.ingest([write_markdown(
        tmp_path / "zetas-copy.md", "Los Zetas (part 2)", "A different article entirely.",
        "@cartel_watch", None)])
    assert other.added == 1
    # And the catalog post imported again still changes nothing.
    assert import_catalog(db, QUIRKS.read_text(encoding="utf-8")).articles_added == 0


def test_entries_pointing_at_stored_articles_use_them(db: Database) -> None:
    service = ingest_service(db, extract=False)
    report = service.ingest([str(ROOT / "kartoteka" / "sample_data" / "articles")], "markdown")
    assert report.failed == 0
    before = counts(db)["articles"]

    result = import_catalog(db, SAMPLE_CATALOG.read_text(encoding="utf-8"))

    assert (result.articles_added, result.articles_found) == (0, 25)
    assert counts(db)["articles"] == before


SEED_CATALOG: list[tuple[str, list[tuple[str, list[str]]]]] = [
    # countries in name order, entries in title order (folded), with their handles
    ("in", [("Jamaat Tablig", []), ("Naxalites", [])]),
    ("id", [("Jemaa Islamia", [])]),
    ("iq", [("Islamic State of Iraq 2.0", [])]),
    ("ly", [("Abd al-Rauf Karra", ["@Abbasdjuma"]), ("Fathi Bashaga", [])]),
    ("ml", [("Nusrat al-Islam", [])]),
    ("mx", [("Cartel of Los Setas", ["@sex_drugs_kahlo"]), ("Sinaloa Cartel", [])]),
    ("ng", [("Wilayat IG West Africa", [])]),
    ("ru", [("Caucasus Emirate", []), ("Hizb ut-Tahrir al-Islami", []),
            ("Katiba Tawhid Val Jihad", ["@astramilitarum"])]),
    ("rs", [("Hashim Thachi", []), ("organized crime group Kosovo", [])]),
    ("so", [("Al-Shabab", [])]),
    ("sy", [("Hayat Tahrir al-Sham", []), ("Huras ad-Din", []),
            ("Syrian democratic forces", [])]),
    ("tr", [("Gray Wolves", ["@istanbul_wolf"]), ("PMC SADAT", [])]),
]  # fmt: skip


def test_seed_catalog_comes_back_from_the_database(db: Database, seed_text: str) -> None:
    if "Catalog of articles" not in seed_text:
        pytest.skip("the seed file holds no 'Catalog of articles' post")
    report = import_catalog(db, seed_text, source="seed")
    assert report.errors == [] and report.entries == 21

    catalog = build_catalog(db).as_dict()

    assert [(c["code"], [(e["title"], e["authors"]) for e in c["entries"]])
            for c in catalog["countries"]] == SEED_CATALOG
    assert {(c["name"], c["flag"]) for c in catalog["countries"]} >= {
        ("India", "🇮🇳"), ("Serbia", "🇷🇸"), ("Turkey", "🇹🇷")}
    entries = [e for c in catalog["countries"] for e in c["entries"]]
    assert all(e["kind"] == "article" and len(e["article_ids"]) == 1 for e in entries)
    assert len({e["article_ids"][0] for e in entries}) == 21
    handles = sorted(h for e in entries for h in e["authors"])
    assert handles == ["@Abbasdjuma", "@astramilitarum", "@istanbul_wolf", "@sex_drugs_kahlo"]


def test_demo_imports_the_sample_catalog_after_the_articles(tmp_path: Path) -> None:
    from kartoteka.services.demo import build_demo

    db, summary = build_demo(tmp_path / "demo.db")
    try:
        assert summary.catalog is not None
        report = summary.catalog.as_dict()
        # every entry links to a sample article: no placeholders are needed
        assert report["articles"] == {"added": 0, "found": 25, "updated": 0, "unchanged": 0}
        assert report["failed"] == 0
        # the demo's registry turns its Kosovo entries into entities, each with
        # every article about it, in English and in Russian; the KLA article's
        # title ("... to the Protection Corps") makes the corps a subject too
        kosovo = build_catalog(db, "xk").as_dict()["countries"][0]["entries"]
        assert [(e["title"], e["kind"], e["entity_id"]) for e in kosovo] == [
            ("Hashim Thaçi", "person", "ktk-per-thaci"),
            ("Kosovo Liberation Army", "organization", "ktk-org-kla"),
            ("Kosovo Protection Corps", "organization", "ktk-org-kpc"),
        ]
        assert kosovo[0]["authors"] == ["@balkan_archive", "@vostochny_arkhiv"]
        assert len(kosovo[0]["article_ids"]) == 2
    finally:
        db.dispose()


BAD_POST = (
    "Catalog of articles\n"
    "🇽🇰 Kosovo: <a href=\"http://[\">Broken link</a> | “Kosovo Liberation Army” "
    "(@balkan_archive) | “Nul\x00 title” | “Falls over”\n"
    "🇲🇽 Mexico: “Los Zetas” (@cartel_watch)\n"
)


def test_hostile_entries_do_not_stop_a_post(db: Database, monkeypatch: pytest.MonkeyPatch,
                                            caplog: pytest.LogCaptureFixture) -> None:
    """A bad link is no link, a NUL is dropped, and an entry that fails to store
    (here the matcher raises on it) is that entry's error: the rest go in."""
    class Fragile:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def match(self, title: str) -> Any:
            if title == "Falls over":
                raise RuntimeError("matcher bug")
            return self.inner.match(title)

    class FragileRegistry(RegistryMatcher):
        def current(self) -> Any:
            return Fragile(super().current())

    with caplog.at_level("ERROR", logger="kartoteka.services.catalog_import"):
        report = import_catalog(db, BAD_POST, source="bad", matcher=FragileRegistry(db))
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "not stored (RuntimeError: matcher bug)")]
    assert caplog.records[0].exc_info is not None
    titles = {e["title"] for c in build_catalog(db).as_dict()["countries"] for e in c["entries"]}
    assert titles == {"Broken link", "Kosovo Liberation Army", "Nul title", "Los Zetas"}
    assert counts(db)["articles"] == 4
