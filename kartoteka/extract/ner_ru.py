"""Russian statistical NER with natasha.

natasha's news models ship inside its wheels, so this works offline.  The
segmenter, embedding and tagger are loaded once, on first use.  natasha's
labels are already PER, ORG and LOC.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kartoteka.extract.ner_en import add_entities
from kartoteka.extract.pipeline import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)

LABELS = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": LOCATION}


@lru_cache(maxsize=1)
def load_models() -> tuple[Any, Any]:
    """(segmenter, NER tagger), loaded once per process."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


class RussianNER:
    """natasha NER over documents whose language is Russian."""

    name = "ner_ru"
    produces = ("mentions",)
    language = "ru"

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        if result.language != self.language:
            return
        from natasha import Doc

        segmenter, tagger = load_models()
        doc = Doc(document.text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        add_entities(document.text, result, self.name,
                     ((s.start, s.stop, s.type) for s in doc.spans), LABELS)
