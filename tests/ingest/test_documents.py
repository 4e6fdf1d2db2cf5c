"""Detection of documents by content, and the ingest service storing page markers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.detect import detect_format
from kartoteka.services.articles import get_article
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from tests.ingest.documents import image_bytes, scan, text_pdf
from tests.ingest.test_opendocument import odt_bytes


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("A Word file")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["upload", "upload.txt", "upload.bin"])
def test_documents_are_recognised_by_content_whatever_their_name(name: str) -> None:
    png = scan(["x"])
    assert detect_format(Input(name, text_pdf(["A PDF"]))) == "pdf"
    assert detect_format(Input(name, docx_bytes())) == "docx"
    assert detect_format(Input(name, odt_bytes())) == "odt"
    assert detect_format(Input(name, image_bytes(png, "PNG"))) == "image"
    assert detect_format(Input(name, image_bytes(png, "JPEG"))) == "image"
    assert detect_format(Input(name, image_bytes(png, "TIFF"))) == "image"


def test_a_zip_that_is_neither_docx_nor_odt_is_not_taken_for_one() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert detect_format(Input("archive.bin", buffer.getvalue())) not in ("docx", "odt")


def test_pages_are_stored_and_a_bad_document_does_not_stop_the_batch(
    db: Database, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "inbox"
    tmp_path.mkdir()
    (tmp_path / "a-report.pdf").write_bytes(
        text_pdf(["Sinaloa Cartel report", "Page two: Los Zetas."]))
    (tmp_path / "b-locked.pdf").write_bytes(text_pdf(["secret"], encrypt=True))
    (tmp_path / "c-note.docx").write_bytes(docx_bytes())
    report = IngestService(db).ingest([str(tmp_path)], options=ReadOptions(ocr="never"))
    assert report.added == 2
    assert [(Path(e.path).name, "encrypted" in e.error) for e in report.errors] == [
        ("b-locked.pdf", True)]
    stored = get_article(db, report.article_ids[0]).as_dict()
    assert stored["title"] == "Sinaloa Cartel report"
    assert stored["extra"]["pages"] == [{"page": 1, "offset": 0, "ocr": False},
                                        {"page": 2, "offset": 23, "ocr": False}]
    assert stored["body"][23:].startswith("Page two")


def test_cli_ocr_option_is_checked_and_show_json_has_the_pages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(text_pdf(["Imarat Kavkaz", "Second page"]))
    runner = CliRunner()
    bad = runner.invoke(app, ["ingest", str(pdf), "--ocr", "sometimes", "--db", url])
    assert bad.exit_code != 0 and "--ocr expects auto, always or never" in bad.output
    done = runner.invoke(app, ["ingest", str(pdf), "--ocr", "never", "--no-extract",
                               "--json", "--db", url])
    assert done.exit_code == 0, done.output
    [article_id] = [a["id"] for a in _listed(runner, url)]
    shown = json.loads(runner.invoke(app, ["show", article_id, "--json", "--db", url]).output)
    assert [p["page"] for p in shown["extra"]["pages"]] == [1, 2]


def _listed(runner: CliRunner, url: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "articles", "--db", url])
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_a_docx_that_would_unpack_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from kartoteka.ingest.word import DocxReader

    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "docx=1")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("word/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024  # small on disk ...
    [error] = DocxReader().read(Input("bomb.docx", bomb.getvalue()), ReadOptions())
    assert isinstance(error, ItemError)  # ... too large unpacked
    assert "too large when unpacked" in error.error and "the limit is 1 MB" in error.error
    assert "KARTOTEKA_INPUT_LIMITS_MB=docx=N" in error.error


def test_an_unexpected_failure_is_logged_with_its_traceback_and_the_batch_goes_on(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import pypdfium2

    def explode(*_args: object, **_kwargs: object) -> None:
        raise MemoryError("PDFium ran out of memory")

    monkeypatch.setattr(pypdfium2, "PdfDocument", explode)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.pdf").write_bytes(text_pdf(["Any"]))
    (inbox / "b.docx").write_bytes(docx_bytes())
    report = IngestService(db).ingest([str(inbox)])
    assert report.added == 1
    [error] = report.errors
    assert error.error == "cannot read this PDF: MemoryError: PDFium ran out of memory"
    [record] = [r for r in caplog.records if r.name == "kartoteka.ingest.documents"]
    assert record.exc_info is not None and "a.pdf" in record.getMessage()


@pytest.mark.slow
def test_a_scan_is_stored_with_its_ocr_pages(db: Database, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "scan.png").write_bytes(
        image_bytes(scan(["Imarat Kavkaz was declared in 2007.",
                          "Имарат Кавказ объявлен в 2007 году."]), "PNG"))
    report = IngestService(db).ingest([str(inbox)])
    assert report.added == 1, report.errors
    stored = get_article(db, report.article_ids[0]).as_dict()
    assert "Imarat Kavkaz was declared in 2007" in stored["body"]
    assert "Имарат Кавказ объявлен в 2007 году" in stored["body"]
    assert stored["extra"]["pages"] == [{"page": 1, "offset": 0, "ocr": True}]
