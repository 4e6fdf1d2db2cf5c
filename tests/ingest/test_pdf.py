from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.documents import page_at
from kartoteka.ingest.pdf import PdfReader
from kartoteka.model import ArticleDraft
from tests.ingest.documents import chromium_pdf, scan, scanned_pdf, text_pdf


def read(data: bytes, **options: object) -> list[ReadItem]:
    return list(PdfReader().read(Input("doc.pdf", data), ReadOptions(**options)))  # type: ignore[arg-type]


def only_draft(items: list[ReadItem]) -> ArticleDraft:
    assert len(items) == 1 and isinstance(items[0], ArticleDraft), items
    return items[0]


def pages_of(draft: ArticleDraft) -> list[dict[str, object]]:
    pages = draft.extra["pages"]
    assert isinstance(pages, list)
    return pages


def test_text_layer_pages_are_kept_with_their_offsets() -> None:
    draft = only_draft(read(text_pdf(
        ["Report on the Kosovo Liberation Army", "Los Zetas split from the Gulf Cartel.",
         "Third page: Sinaloa."], title="KLA and cartels")))
    assert draft.title == "KLA and cartels"
    markers = pages_of(draft)
    assert [m["page"] for m in markers] == [1, 2, 3]
    assert not any(m["ocr"] for m in markers)
    for marker, first_words in zip(markers, ["Report on", "Los Zetas", "Third page"],
                                   strict=True):
        offset = marker["offset"]
        assert isinstance(offset, int)
        assert draft.body[offset:].startswith(first_words)
    assert page_at(markers, draft.body.index("Gulf Cartel")) == 2
    assert page_at(markers, draft.body.index("Sinaloa")) == 3


def test_title_falls_back_to_the_first_line() -> None:
    draft = only_draft(read(text_pdf(["Boko Haram and ISWAP\nA short note."])))
    assert draft.title == "Boko Haram and ISWAP"


def test_encrypted_broken_and_long_documents_are_clear_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [encrypted] = read(text_pdf(["secret"], encrypt=True))
    assert isinstance(encrypted, ItemError) and "encrypted with a password" in encrypted.error
    [broken] = read(text_pdf(["whole"])[:200])
    assert isinstance(broken, ItemError) and "broken or truncated" in broken.error
    monkeypatch.setenv("KARTOTEKA_MAX_DOCUMENT_PAGES", "2")
    [long] = read(text_pdf(["one", "two", "three"]))
    assert isinstance(long, ItemError)
    assert "3 pages, the limit is 2" in long.error and "KARTOTEKA_MAX_DOCUMENT_PAGES" in long.error
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "pdf=1")
    [large] = read(text_pdf(["big"]) + b"%" + b"x" * (1024 * 1024))
    assert isinstance(large, ItemError) and "the limit is 1 MB" in large.error
    assert "KARTOTEKA_INPUT_LIMITS_MB=pdf=N" in large.error


def test_a_scan_without_ocr_is_an_error_that_names_the_option() -> None:
    [error] = read(scanned_pdf([scan(["Only pixels here, no text layer"])]), ocr="never")
    assert isinstance(error, ItemError) and "--ocr auto" in error.error


@pytest.mark.slow
def test_scanned_pages_are_read_by_ocr_in_english_and_russian() -> None:
    pdf = scanned_pdf([scan(["The Wagner Group fought in Libya."]),
                       scan(["Группа Вагнера воевала в Ливии."])])
    draft = only_draft(read(pdf, ocr_languages="eng+rus"))
    markers = pages_of(draft)
    assert [(m["page"], m["ocr"]) for m in markers] == [(1, True), (2, True)]
    assert "Wagner Group" in draft.body and "Ливии" in draft.body
    assert page_at(markers, draft.body.index("Ливии")) == 2
    assert page_at(markers, draft.body.index("Libya")) == 1


@pytest.mark.slow
def test_auto_ocrs_only_the_scanned_page_of_a_mixed_pdf() -> None:
    mixed = pdfium.PdfDocument(text_pdf(["Typed page about Hayat Tahrir al-Sham in Idlib."]))
    scanned = scanned_pdf([scan(["Scanned page about Huras ad-Din."])])
    mixed.import_pages(pdfium.PdfDocument(scanned))
    buffer = io.BytesIO()
    mixed.save(buffer)
    draft = only_draft(read(buffer.getvalue()))
    assert [(m["page"], m["ocr"]) for m in pages_of(draft)] == [(1, False), (2, True)]
    assert "Huras ad-Din" in draft.body
    always = only_draft(read(buffer.getvalue(), ocr="always", ocr_languages="eng"))
    assert [m["ocr"] for m in pages_of(always)] == [True, True]
    assert "Idlib" in always.body


@pytest.mark.slow
def test_a_chromium_printed_pdf_in_russian_and_english(tmp_path: Path) -> None:
    html = ("<h1>ЧВК «Вагнер»</h1><p>Группа Вагнера действовала в Сирии.</p>"
            "<p style='break-before: page'>Page two: the Wagner Group in Mali.</p>")
    draft = only_draft(read(chromium_pdf(html, tmp_path), ocr="never"))
    markers = pages_of(draft)
    assert [m["page"] for m in markers] == [1, 2]
    assert "Группа Вагнера действовала в Сирии" in draft.body
    assert page_at(markers, draft.body.index("Mali")) == 2
    assert page_at(markers, draft.body.index("Сирии")) == 1


def test_an_oversized_page_is_rendered_under_the_pixel_cap() -> None:
    from kartoteka.ingest.ocr import MAX_RENDER_PIXELS, RENDER_DPI, render_scale

    assert render_scale(612, 792) == RENDER_DPI / 72  # a letter page: full resolution
    scale = render_scale(14400, 14400)  # a 200-inch map
    assert scale < RENDER_DPI / 72
    assert MAX_RENDER_PIXELS * 0.99 < (14400 * scale) ** 2 <= MAX_RENDER_PIXELS
