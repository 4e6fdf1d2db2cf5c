from __future__ import annotations

import io

from odf import dc, text
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style

from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.documents import page_at
from kartoteka.ingest.opendocument import OdtReader, looks_like_odt
from kartoteka.model import ArticleDraft


def odt_bytes() -> bytes:
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Al-Shabaab report"))
    new_page = Style(name="NewPage", family="paragraph")
    new_page.addElement(ParagraphProperties(breakbefore="page"))
    document.automaticstyles.addElement(new_page)
    document.text.addElement(text.H(outlinelevel=1, text="Al-Shabaab in Somalia"))
    document.text.addElement(text.P(text="Аш-Шабаб действует в Сомали."))
    document.text.addElement(text.P(stylename=new_page, text="Second page: Kenya."))
    document.text.addElement(text.SoftPageBreak())
    document.text.addElement(text.P(text="Третья страница."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_headings_paragraphs_and_both_kinds_of_page_break() -> None:
    data = odt_bytes()
    assert looks_like_odt(data)
    [draft] = OdtReader().read(Input("report.odt", data), ReadOptions())
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Al-Shabaab report"
    assert draft.body.startswith("Al-Shabaab in Somalia\nАш-Шабаб действует в Сомали.")
    markers = draft.extra["pages"]
    assert isinstance(markers, list)
    assert [m["page"] for m in markers] == [1, 2, 3]
    assert page_at(markers, draft.body.index("Сомали")) == 1
    assert page_at(markers, draft.body.index("Kenya")) == 2
    assert page_at(markers, draft.body.index("Третья")) == 3


def test_a_broken_odt_is_a_clear_error() -> None:
    data = odt_bytes()
    [error] = OdtReader().read(Input("cut.odt", data[:300]), ReadOptions())
    assert isinstance(error, ItemError) and "ODT" in error.error
