"""Each document's work budget: pages sent to OCR, and time, refused per file.

The time budget is tested with budgets too small for any document, so the
tests assert the error a user reads, never how long anything took.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.ocr import OcrTimeout, recognise
from kartoteka.ingest.pdf import PdfReader
from kartoteka.ingest.scan import ImageReader
from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from tests.ingest.documents import image_bytes, scan, scanned_pdf, text_pdf


def mixed_pdf(image_pages: int) -> bytes:
    """One page with a text layer, then ``image_pages`` pages that are only pictures
    (blank, so a test that lets them through costs no Tesseract run)."""
    document = pdfium.PdfDocument(text_pdf(["The Kosovo Liberation Army, a typed cover page."]))
    blank = [Image.new("L", (60, 80), 255) for _ in range(image_pages)]
    document.import_pages(pdfium.PdfDocument(scanned_pdf(blank)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_pdf(data: bytes, **options: object) -> ReadItem:
    [item] = PdfReader().read(Input("annex.pdf", data), ReadOptions(**options))  # type: ignore[arg-type]
    return item


def test_more_pages_to_ocr_than_the_cap_is_refused_with_the_way_out() -> None:
    error = read_pdf(mixed_pdf(3), ocr_max_pages=2)
    assert isinstance(error, ItemError) and error.path == "annex.pdf"
    assert error.error.startswith("3 of its 4 pages need OCR, the limit is 2: ")
    assert "--ocr-max-pages 3" in error.error and "KARTOTEKA_OCR_MAX_PAGES=3" in error.error
    # What the message offers works: the text layer alone is read.
    text_only = read_pdf(mixed_pdf(3), ocr_max_pages=2, ocr="never")
    assert isinstance(text_only, ArticleDraft) and "Kosovo Liberation Army" in text_only.body


def test_the_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_OCR_MAX_PAGES", "1")
    refused = read_pdf(mixed_pdf(2))
    assert isinstance(refused, ItemError) and "the limit is 1:" in refused.error
    # Blank scans: only the cover's text (a language given: no language detection).
    allowed = read_pdf(mixed_pdf(2), ocr_max_pages=2, ocr_languages="eng")
    assert isinstance(allowed, ArticleDraft)
    assert [p["ocr"] for p in allowed.extra["pages"]] == [False, True, True]  # type: ignore[index, union-attr]


def test_a_tiff_with_more_frames_than_the_cap_is_refused() -> None:
    frames = [Image.new("L", (8, 8), 255)] * 3
    tiff = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    [error] = ImageReader().read(Input("scans.tiff", tiff), ReadOptions(ocr_max_pages=2))
    assert isinstance(error, ItemError)
    assert "3 of its 3 pages need OCR, the limit is 2" in error.error


def test_a_document_over_its_time_budget_is_an_error_naming_the_setting() -> None:
    error = read_pdf(text_pdf(["one", "two", "three"]), document_seconds=1e-9)
    assert isinstance(error, ItemError)
    assert error.error.startswith("took over 1e-09 s, the limit per document, while "
                                  "reading the text layer (0 of 3 pages done)")
    assert "KARTOTEKA_DOCUMENT_SECONDS=N" in error.error
    frames = [Image.new("L", (8, 8), 255)] * 2
    tiff = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    [scans] = ImageReader().read(Input("scans.tiff", tiff), ReadOptions(document_seconds=1e-9))
    assert isinstance(scans, ItemError) and "while running OCR (0 of 2 pages done)" in scans.error


def test_tesseract_is_stopped_when_the_budget_runs_out() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed (make ocr)")
    # A dense page takes Tesseract seconds; half a second of budget cannot hold it.
    page = scan([f"Hayat Tahrir al-Sham took Idlib in 2015, line {n}" for n in range(30)])
    [error] = ImageReader().read(Input("dense.png", image_bytes(page, "PNG")),
                                 ReadOptions(ocr_languages="eng", document_seconds=0.5))
    assert isinstance(error, ItemError)
    assert "took over 0.5 s, the limit per document, while running OCR" in error.error
    with pytest.raises(OcrTimeout, match=r"OCR of one page took over 0.2 s and was stopped"):
        recognise(page, "eng", timeout=0.2)


def test_a_bad_budget_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_DOCUMENT_SECONDS", "soon")
    error = read_pdf(text_pdf(["one"]))
    assert isinstance(error, ItemError)
    assert error.error == "KARTOTEKA_DOCUMENT_SECONDS must be a positive number of seconds, " \
                          "not 'soon'"


def test_a_refused_document_does_not_stop_the_batch(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARTOTEKA_OCR_MAX_PAGES", "2")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-annex.pdf").write_bytes(mixed_pdf(3))
    (inbox / "b-report.pdf").write_bytes(text_pdf(["Sinaloa Cartel report"]))
    report = IngestService(db).ingest([str(inbox)])
    assert report.added == 1
    [error] = report.errors
    assert Path(error.path).name == "a-annex.pdf" and "need OCR, the limit is 2" in error.error


def test_cli_ocr_max_pages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    annex = tmp_path / "annex.pdf"
    annex.write_bytes(mixed_pdf(2))
    runner = CliRunner()
    refused = runner.invoke(app, ["ingest", str(annex), "--ocr-max-pages", "1", "--no-extract",
                                  "--db", url])
    assert refused.exit_code == 1
    assert f"failed: {annex}: 2 of its 3 pages need OCR, the limit is 1" in refused.output
    read = runner.invoke(app, ["ingest", str(annex), "--ocr-max-pages", "2", "--ocr-lang", "eng",
                               "--no-extract", "--db", url])
    assert read.exit_code == 0, read.output
    assert "added 1" in read.output
