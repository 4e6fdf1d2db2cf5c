"""A pipeline of extraction components over documents.

Each component says what it ``produces`` (``("handles", "hashtags")``,
``("mentions",)``) and adds to an :class:`ExtractionResult`.  Components may
also process a whole batch at once (statistical NER wants ``nlp.pipe``).  A
component that fails on one document leaves a :class:`ComponentError` in
that document's result and the batch goes on: one odd Telegram post must not
stop the extraction of ten thousand articles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Protocol, TypeVar, runtime_checkable

from kartoteka.extract.keyed import KeyedText, key_text
from kartoteka.model import Mention
from kartoteka.text.language import detect_language

__all__ = [
    "COUNTRY",
    "LOCATION",
    "NAME_LABELS",
    "ORGANIZATION",
    "PERSON",
    "BatchComponent",
    "Component",
    "ComponentError",
    "CountryMention",
    "Document",
    "ExtractionResult",
    "PatternMatch",
    "Pipeline",
]

log = logging.getLogger(__name__)

# The labels of name mentions; countries use COUNTRY.
PERSON = "PER"
ORGANIZATION = "ORG"
LOCATION = "LOC"
COUNTRY = "COUNTRY"
NAME_LABELS = (PERSON, ORGANIZATION, LOCATION)


@dataclass(eq=False)
class Document:
    """What extraction reads: a text (an article's body), its language if known,
    metadata, and the article's title if it has one.

    The title is read as a document of its own, beside the body, with the
    body's language and metadata: its spans come back in the body's result
    with ``section="title"`` and offsets into the title.  Not read as one text
    with the body: the models then found other names in the body ("Ansar"
    for "Ansar ul-Islam" after the title "An attack").
    """

    text: str
    language: str | None = None
    id: str = ""
    metadata: dict[str, object] = field(default_factory=dict)
    title: str = ""

    @cached_property
    def keyed(self) -> KeyedText:
        """The keyed text, computed once and shared by the look-up components."""
        return key_text(self.text)


@dataclass(frozen=True, slots=True)
class CountryMention(Mention):
    """A country named in the text (name, demonym, adjective or flag)."""

    code: str = ""
    # By its name ("Serbia", «Сербии»): a place, listed with the entities as LOC.
    named: bool = False


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A handle, hashtag, URL or date: its span (in ``section``) and normalised ``value``."""

    start: int
    end: int
    text: str
    value: str
    section: str = "body"


@dataclass(frozen=True, slots=True)
class ComponentError:
    """One component failed on one document; the rest of the result stands."""

    component: str
    message: str
    document_id: str = ""


@dataclass(eq=False)
class ExtractionResult:
    """Everything the components found in one document."""

    document: Document
    language: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    countries: list[CountryMention] = field(default_factory=list)
    handles: list[PatternMatch] = field(default_factory=list)
    hashtags: list[PatternMatch] = field(default_factory=list)
    urls: list[PatternMatch] = field(default_factory=list)
    dates: list[PatternMatch] = field(default_factory=list)
    errors: list[ComponentError] = field(default_factory=list)

    def mention(self, start: int, end: int, label: str, component: str,
                confidence: float = 1.0, entity_id: str | None = None,
                normal: str | None = None) -> Mention:
        """Add a name mention whose text is the document's own span."""
        text = self.document.text[start:end]
        if normal and _without_yo(normal) == _without_yo(text):
            normal = None  # natasha writes ё as е: «Артёмовск» is its own normal form
        found = Mention(self.document.id, start, end, text, label, component, confidence,
                        entity_id, normal)
        self.mentions.append(found)
        return found

    @property
    def candidates(self) -> list[Mention]:
        """Name mentions that no registry entity claimed (for editors to review)."""
        return [m for m in self.mentions if m.label in NAME_LABELS and m.entity_id is None]


@runtime_checkable
class Component(Protocol):
    """One step of extraction: reads a document, adds to its result."""

    @property
    def name(self) -> str: ...

    @property
    def produces(self) -> tuple[str, ...]:
        """The result fields this component fills."""
        ...

    def __call__(self, document: Document, result: ExtractionResult) -> None: ...


@runtime_checkable
class BatchComponent(Component, Protocol):
    """A component that is much faster over a batch (statistical models)."""

    def process_batch(self, documents: Sequence[Document],
                      results: Sequence[ExtractionResult]) -> None: ...


class Pipeline:
    """Runs components in order over documents, isolating their failures.

    A document's own ``language`` wins (a reader or an editor set it);
    otherwise the language is detected.  Components see it in
    ``result.language`` and decide whether they apply.
    """

    def __init__(self, components: Iterable[Component], batch_size: int = 64) -> None:
        self.components = list(components)
        self.batch_size = batch_size

    @property
    def produces(self) -> tuple[str, ...]:
        return tuple(p for c in self.components for p in c.produces)

    def prepare(self) -> None:
        """Load now what components otherwise load on first use (models, place
        indexes): a queue worker does this before its first job, so that job's
        time is its own."""
        for component in self.components:
            prepare = getattr(component, "prepare", None)
            if callable(prepare):
                prepare()

    def run(self, document: Document) -> ExtractionResult:
        return next(iter(self.run_many([document])))

    def run_many(self, documents: Iterable[Document]) -> Iterator[ExtractionResult]:
        """Yield one result per document, in order, whatever fails."""
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, documents: list[Document]) -> list[ExtractionResult]:
        results = [ExtractionResult(d, d.language or detect_language(d.text))
                   for d in documents]
        titled = [(result, Document(d.title, result.language, d.id, d.metadata))
                  for d, result in zip(documents, results, strict=True) if d.title.strip()]
        titles = [ExtractionResult(t, body.language) for body, t in titled]
        every = [*documents, *(t for _, t in titled)]
        found = [*results, *titles]
        for component in self.components:
            if isinstance(component, BatchComponent):
                try:
                    component.process_batch(every, found)
                    continue
                except Exception:  # retried one by one below, to find the culprit
                    log.debug("%s failed on a batch; retrying one by one", component.name,
                              exc_info=True)
                    for result in found:
                        _forget(result, component.name)
            for document, result in zip(every, found, strict=True):
                self._run_one(component, document, result)
        for (body, _), title in zip(titled, titles, strict=True):
            _add_title(body, title)
        return results

    @staticmethod
    def _run_one(component: Component, document: Document, result: ExtractionResult) -> None:
        try:
            component(document, result)
        except Exception as error:  # recorded; the batch goes on
            log.exception("extraction component %s failed on document %r",
                          component.name, document.id)
            _forget(result, component.name)
            where = f" in document {document.id!r}" if document.id else ""
            result.errors.append(ComponentError(
                component.name, f"{type(error).__name__}: {error}{where}", document.id))


_Spanned = TypeVar("_Spanned", bound=Mention | PatternMatch)


def _add_title(body: ExtractionResult, title: ExtractionResult) -> None:
    """Put what the title's document gave first in the body's result, marked as the title's."""

    def marked(found: list[_Spanned]) -> list[_Spanned]:
        return [replace(item, section="title") for item in found]

    body.mentions = [*marked(title.mentions), *body.mentions]
    body.countries = [*marked(title.countries), *body.countries]
    for name in ("handles", "hashtags", "urls", "dates"):
        setattr(body, name, [*marked(getattr(title, name)), *getattr(body, name)])
    body.errors.extend(title.errors)


def _without_yo(name: str) -> str:
    return name.replace("ё", "е").replace("Ё", "Е")


def _forget(result: ExtractionResult, component: str) -> None:
    """Drop a failed component's partial output, so results are all-or-nothing."""
    result.mentions = [m for m in result.mentions if m.component != component]
    result.countries = [m for m in result.countries if m.component != component]
    result.errors = [e for e in result.errors if e.component != component]
