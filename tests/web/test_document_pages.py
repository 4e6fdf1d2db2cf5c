"""A document's page marks on its article page, so a quotation can be cited by page."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kartoteka.ingest.base import ReadOptions
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from kartoteka.web.app import create_app
from kartoteka.web.render import body_html
from tests.ingest.documents import text_pdf


def test_body_html_marks_each_page_before_its_first_paragraph() -> None:
    body = "First page text.\n\nStill page one.\n\nSecond <page> text."
    pages = [{"page": 1, "offset": 0, "ocr": False},
             {"page": 2, "offset": body.index("Second"), "ocr": True},
             {"page": "x", "offset": None}]
    html = str(body_html(body, (), pages))
    assert html == ('<p class="page-mark" id="page-1">page 1</p>\n'
                    "<p>First page text.</p>\n<p>Still page one.</p>\n"
                    '<p class="page-mark" id="page-2">page 2</p>\n'
                    "<p>Second &lt;page&gt; text.</p>")
    assert str(body_html(body)) == ("<p>First page text.</p>\n<p>Still page one.</p>\n"
                                    "<p>Second &lt;page&gt; text.</p>")


def test_an_ingested_pdf_shows_its_pages(db: Database, tmp_path: Path) -> None:
    pdf = tmp_path / "docs" / "report.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(text_pdf(["Wagner Group report", "Page two: Libya and Mali."]))
    report = IngestService(db).ingest([str(pdf)], options=ReadOptions(ocr="never"))
    assert report.added == 1, report.errors
    with TestClient(create_app(db)) as client:
        html = client.get(f"/articles/{report.article_ids[0]}").text
    assert html.index('id="page-1"') < html.index("Wagner Group report</p>")
    assert html.index("Wagner Group report</p>") < html.index('id="page-2"')
    assert html.index('id="page-2"') < html.index("Page two: Libya and Mali.")
