"""Title and body of plain text and Markdown files."""

from __future__ import annotations

from kartoteka.ingest.base import Input, ReadOptions
from kartoteka.ingest.plaintext import MarkdownReader, TextReader, split_title
from kartoteka.model import ArticleDraft

PARAGRAPH = ("Министр иностранных дел Турции Хакан Фидан заявил в Анкаре, что Анкара готова "
             "выступить посредником. Ранее глава МИД России Сергей Лавров провёл переговоры "
             "с генеральным секретарём ООН Антониу Гутеррешем в Нью-Йорке.")


def read(reader: TextReader, name: str, text: str) -> ArticleDraft:
    (draft,) = list(reader.read(Input(name, text.encode()), ReadOptions()))
    assert isinstance(draft, ArticleDraft)
    return draft


def test_a_headline_then_text() -> None:
    assert split_title("Kosovo talks resume\n\nThe parties met.") == \
        ("Kosovo talks resume", "The parties met.")
    assert split_title("# Косово\nТекст.") == ("Косово", "Текст.")


def test_a_first_paragraph_stays_in_the_body() -> None:
    draft = read(TextReader(), "note.txt", PARAGRAPH + "\n\nВторой абзац.")
    assert draft.body.startswith(PARAGRAPH)
    assert draft.body.endswith("Второй абзац.")
    assert draft.title.endswith("…") and PARAGRAPH.startswith(draft.title[:-1])


def test_a_one_line_file_is_its_own_body() -> None:
    draft = read(TextReader(), "one.txt", PARAGRAPH)
    assert draft.body == PARAGRAPH


def test_two_short_sentences_are_a_paragraph_not_a_headline() -> None:
    title, body = split_title("Fighting resumed. The army retreated.\nMore text.")
    assert body.startswith("Fighting resumed.")
    assert title == "Fighting resumed. The army retreated."


def test_front_matter_title_keeps_the_first_paragraph() -> None:
    text = "---\ntitle: Talks in Ankara\nlanguage: ru\n---\n" + PARAGRAPH
    draft = read(MarkdownReader(), "a.md", text)
    assert draft.title == "Talks in Ankara"
    assert draft.body == PARAGRAPH


def test_front_matter_title_drops_only_a_heading_that_repeats_it() -> None:
    text = "---\ntitle: Talks in Ankara\n---\n# Talks in Ankara\n\nBody text."
    assert read(MarkdownReader(), "b.md", text).body == "Body text."
    text = "---\ntitle: Talks in Ankara\n---\n# Background\n\nBody text."
    assert read(MarkdownReader(), "c.md", text).body == "# Background\n\nBody text."
