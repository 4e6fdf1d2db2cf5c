"""Russian statistical NER with natasha.

natasha's news models ship inside its wheels, so this works offline.  The
segmenter, embedding and tagger are loaded once, on first use.  natasha's
labels are already PER, ORG and LOC.  The text is bounded per article as
for English (:mod:`kartoteka.extract.bounded`).

Each mention also gets its normal form, as natasha's ``normalize`` gives
it from the span's morphology («Аль-Каиды» is «Аль-Каида»), and for a
foreign person's name it leaves inflected, :mod:`normal_ru` («Амаду Куфы»
and «Амаду Куфой» are both «Амаду Куфа»).  Candidates are grouped on it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kartoteka.extract import normal_ru
from kartoteka.extract.bounded import Bounds, Entity, bound, read_pieces
from kartoteka.extract.ner_en import add_entities
from kartoteka.extract.normal_ru import normal_person
from kartoteka.extract.pipeline import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    ComponentError,
    Document,
    ExtractionResult,
)
from kartoteka.extract.spans import trim_name

LABELS = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": LOCATION}


@lru_cache(maxsize=1)
def load_models() -> tuple[Any, Any, Any, Any]:
    """(segmenter, NER tagger, morphology tagger, vocabulary), loaded once per process."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return Segmenter(), NewsNERTagger(embedding), NewsMorphTagger(embedding), MorphVocab()


class RussianNER:
    """natasha NER over documents whose language is Russian."""

    name = "ner_ru"
    produces = ("mentions",)
    language = "ru"

    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()

    def prepare(self) -> None:
        """Load the models now rather than on the first Russian document."""
        load_models()
        normal_ru.prepare()

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        if result.language != self.language:
            return
        found, warning = read_pieces(bound(document.text, self.bounds.max_chars), entities,
                                     budget_seconds=self.bounds.budget_seconds,
                                     piece_chars=self.bounds.piece_chars)
        add_entities(document.text, result, self.name, found, LABELS)
        if warning:
            result.errors.append(ComponentError(self.name, warning, document.id))


def entities(text: str) -> list[Entity]:
    """natasha's spans in ``text``, each with its normal form."""
    from natasha import Doc

    segmenter, ner, morph, vocabulary = load_models()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner)
    if not doc.spans:
        return []
    doc.tag_morph(morph)
    found = []
    for span in doc.spans:
        if span.type == "ORG":
            _head_on_first_noun(span.tokens)
        span.normalize(vocabulary)
        normal = trim_name(span.normal or span.text)
        if normal and span.type == "PER":
            normal = normal_person(normal)
        found.append(Entity(span.start, span.stop, span.type, normal))
    return found


def _head_on_first_noun(tokens: list[Any]) -> None:
    """Make the first noun the head of an organisation's name, as a parse would.

    natasha inflects an organisation's head and the adjectives that agree
    with it; without a syntax parse (costly) it would inflect every word:
    «Группы Вагнера» → «Группа Вагнер».  In a Russian name the first noun is
    the head and what follows it is a complement: «Группа Вагнера».
    """
    nouns = [i for i, t in enumerate(tokens) if t.pos in ("NOUN", "PROPN")]
    head = nouns[0] if nouns else 0
    for i, token in enumerate(tokens):
        token.id = str(i)
        token.head_id = "" if i == head else str(head)
