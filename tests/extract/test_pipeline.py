from __future__ import annotations

from collections.abc import Sequence

from kartoteka.extract.patterns import Patterns
from kartoteka.extract.pipeline import Document, ExtractionResult, Pipeline


class BreaksOnWord:
    """A real component that fails on documents containing a word."""

    name = "fragile"
    produces = ("mentions",)

    def __init__(self, word: str) -> None:
        self.word = word

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        result.mention(0, 1, "ORG", self.name)
        if self.word in document.text:
            raise ValueError(f"cannot read {self.word!r}")


class BatchBreaksOnWord(BreaksOnWord):
    name = "fragile_batch"

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.batches = 0

    def process_batch(self, documents: Sequence[Document],
                      results: Sequence[ExtractionResult]) -> None:
        self.batches += 1
        for document, result in zip(documents, results, strict=True):
            self(document, result)


def test_a_failing_component_is_recorded_and_the_batch_goes_on() -> None:
    pipeline = Pipeline([BreaksOnWord("boom"), Patterns()])
    docs = [Document("ok @first_channel", id="a"), Document("boom @second_one", id="b"),
            Document("fine #tag", id="c")]
    results = list(pipeline.run_many(docs))
    assert [r.document.id for r in results] == ["a", "b", "c"]
    assert [len(r.mentions) for r in results] == [1, 0, 1]
    (error,) = results[1].errors
    assert error.component == "fragile"
    assert "cannot read 'boom'" in error.message and "'b'" in error.message
    assert [h.value for h in results[1].handles] == ["@second_one"]
    assert not results[0].errors and not results[2].errors


def test_a_failing_batch_is_retried_document_by_document() -> None:
    component = BatchBreaksOnWord("boom")
    results = list(Pipeline([component], batch_size=10).run_many(
        [Document("a"), Document("boom"), Document("c")]))
    assert component.batches == 1
    assert [len(r.mentions) for r in results] == [1, 0, 1]
    assert [len(r.errors) for r in results] == [0, 1, 0]


def test_declared_outputs_and_document_language() -> None:
    pipeline = Pipeline([Patterns()])
    assert pipeline.produces == ("handles", "hashtags", "urls", "dates")
    assert pipeline.run(Document("text", language="ru")).language == "ru"


class Finds:
    """A real component that marks every occurrence of its words, as NER would."""

    name = "finds"
    produces = ("mentions",)

    def __init__(self, *words: str) -> None:
        self.words = words

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        for word in self.words:
            at = document.text.find(word)
            while at >= 0:
                result.mention(at, at + len(word), "ORG", self.name)
                at = document.text.find(word, at + 1)


def test_an_articles_title_is_read_and_spans_index_their_section() -> None:
    """The title is read beside the body; each span indexes its own section, and
    the body's spans are those the body alone gives."""
    title, body = "Wagner leaves Libya #Wagner", "Wagner fighters left. @chvkmedia said so."
    pipeline = Pipeline([Finds("Wagner", "Libya"), Patterns()])
    result = pipeline.run(Document(body, "en", "a1", title=title))
    found = [(m.section, m.start, m.end, m.text) for m in result.mentions]
    assert found == [("title", 0, 6, "Wagner"), ("title", 21, 27, "Wagner"),
                     ("title", 14, 19, "Libya"), ("body", 0, 6, "Wagner")]
    assert all({"title": title, "body": body}[s][a:b] == t for s, a, b, t in found)
    assert [(h.section, h.text) for h in result.hashtags] == [("title", "#Wagner")]
    assert [(h.section, body[h.start:h.end]) for h in result.handles] == [
        ("body", "@chvkmedia")]
    alone = pipeline.run(Document(body, "en", "a1"))
    assert [m for m in result.mentions if m.section == "body"] == alone.mentions
    untitled = pipeline.run(Document(body, title="  "))
    assert {m.section for m in untitled.mentions} == {"body"}


def test_prepare_loads_what_components_would_load_on_first_use() -> None:
    class LoadsLazily(BreaksOnWord):
        def __init__(self) -> None:
            super().__init__("never")
            self.loaded = 0

        def prepare(self) -> None:
            self.loaded += 1

    lazy = LoadsLazily()
    pipeline = Pipeline([Patterns(), lazy])  # Patterns has nothing to prepare
    pipeline.prepare()
    assert lazy.loaded == 1
    assert pipeline.run(Document("Nothing to load.", "en")).errors == []
