from __future__ import annotations

import io

import docx

from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.documents import page_at
from kartoteka.ingest.word import DocxReader
from kartoteka.model import ArticleDraft


def docx_bytes(pages: list[list[str]], title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    for number, paragraphs in enumerate(pages):
        if number:
            document.add_page_break()
        for text in paragraphs:
            document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Таблица"
    table.rows[0].cells[1].text = "Ячейка"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_tables_and_page_breaks_in_english_and_russian() -> None:
    data = docx_bytes([["Отчёт о группировке «Хурас ад-Дин»", "Действует в Идлибе."],
                       ["Page two names Hayat Tahrir al-Sham."]], title="Доклад")
    [draft] = DocxReader().read(Input("report.docx", data), ReadOptions())
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Доклад"
    assert draft.body.startswith("Отчёт о группировке «Хурас ад-Дин»\nДействует в Идлибе.")
    assert "Таблица" in draft.body and "Ячейка" in draft.body
    markers = draft.extra["pages"]
    assert isinstance(markers, list)
    assert [m["page"] for m in markers] == [1, 2]
    assert page_at(markers, draft.body.index("Идлибе")) == 1
    assert page_at(markers, draft.body.index("Hayat")) == 2


def test_a_broken_docx_is_a_clear_error() -> None:
    data = docx_bytes([["Some text"]])
    [error] = DocxReader().read(Input("cut.docx", data[: len(data) // 2]), ReadOptions())
    assert isinstance(error, ItemError) and error.path == "cut.docx"
    assert "DOCX" in error.error
