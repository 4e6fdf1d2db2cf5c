from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kartoteka.ingest.base import ReadOptions
from kartoteka.model import Author
from kartoteka.services.articles import get_article
from kartoteka.services.ingest import IngestService
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database


def test_directory_is_read_recursively_and_front_matter_kept(
    db: Database, corpus_dir: Path
) -> None:
    report = IngestService(db).ingest([str(corpus_dir)])
    assert (report.added, report.failed) == (7, 0)
    with db.read() as conn:
        articles = {a.title: a for a in ArticleRepository(conn).list(limit=100)}
    kla = articles["The Kosovo Liberation Army after 1999"]
    assert kla.author is not None and kla.author.handle == "@balkan_test"
    assert kla.author.display_name == "Balkan Test Channel"
    assert kla.countries == ["rs", "xk"]
    assert kla.published_at is not None and kla.published_at.year == 2020
    assert articles["Косово и сербская история"].language == "ru"
    nested = articles["Liberation movements in the twentieth century"]
    assert nested.language == "en" and nested.body.startswith("Many armed groups")


def test_reingest_is_a_no_op(db: Database, corpus_dir: Path) -> None:
    service = IngestService(db)
    service.ingest([str(corpus_dir)])
    again = service.ingest([str(corpus_dir)])
    assert (again.added, again.revised, again.unchanged, again.failed) == (0, 0, 7, 0)


def test_changed_text_becomes_a_revision(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("A title\nFirst version of the text.", encoding="utf-8")
    service = IngestService(db)
    first = service.ingest([str(path)])
    path.write_text("A title\nSecond version of the text.", encoding="utf-8")
    second = service.ingest([str(path)])
    assert (first.added, second.revised) == (1, 1)
    detail = get_article(db, first.article_ids[0])
    assert detail.article.body == "Second version of the text."
    assert [r.body for r in detail.revisions] == [
        "First version of the text.",
        "Second version of the text.",
    ]


def test_same_content_under_another_path_is_not_stored_twice(db: Database, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same\nIdentical body.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same\nIdentical body.", encoding="utf-8")
    report = IngestService(db).ingest([str(tmp_path)])
    assert (report.added, report.unchanged) == (1, 1)


def test_bad_files_are_reported_and_the_rest_goes_in(db: Database, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good\nA readable article.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    russian = "Заголовок\nТекст статьи о вооружённых группировках и их лидерах. " * 2
    (tmp_path / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    unreadable = tmp_path / "secret.txt"
    unreadable.write_text("Secret\ntext", encoding="utf-8")
    unreadable.chmod(0)
    missing = tmp_path / "missing.txt"
    try:
        report = IngestService(db).ingest([str(tmp_path), str(missing)])
    finally:
        unreadable.chmod(0o644)
    errors = {Path(e.path).name: e.error for e in report.errors}
    root = os.geteuid() == 0  # root reads any file regardless of its mode
    assert report.added == (3 if root else 2)  # good.txt, the cp1251 file (decoded), secret
    assert "empty" in errors["empty.txt"]
    assert "empty" in errors["blank.md"]
    # A PNG is an image whatever it is called; this one is cut short.
    assert "not a readable image" in errors["image.txt"]
    assert "no such file" in errors["missing.txt"]
    if not root:
        assert "permission denied" in errors["secret.txt"]
    with db.read() as conn:
        titles = {a.title for a in ArticleRepository(conn).list()}
    assert "Заголовок" in titles


def test_options_set_author_and_add_country(db: Database, corpus_dir: Path) -> None:
    options = ReadOptions(author=Author("@override"), country="XK")
    report = IngestService(db).ingest([str(corpus_dir / "cartel.md")], options=options)
    detail = get_article(db, report.article_ids[0])
    assert detail.article.author is not None and detail.article.author.handle == "@override"
    assert detail.article.countries == ["mx", "xk"]


def test_unknown_format_fails_before_reading(db: Database, corpus_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        IngestService(db).ingest([str(corpus_dir)], fmt="epub")


def test_copy_of_tree_keeps_ids_stable_by_source(
    db: Database, tmp_path: Path, corpus_dir: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus_dir, copy)
    first = IngestService(db).ingest([str(copy)])
    second = IngestService(db).ingest([str(copy)])
    assert sorted(first.article_ids) == sorted(second.article_ids)


def test_progress_names_each_file_before_reading_it(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Article {name}\n\nA body for {name}.", encoding="utf-8")
    told: list[tuple[int, int, str]] = []
    IngestService(db).ingest([str(folder)], progress=lambda *step: told.append(step))
    assert told == [
        (0, 3, str(folder / "a.txt")),
        (1, 3, str(folder / "b.txt")),
        (2, 3, str(folder / "c.txt")),
        (3, 3, ""),
    ]
