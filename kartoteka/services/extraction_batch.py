"""Storing a batch's extraction results set-based, and the rules they are stored by.

The rules (editors' accepted candidates link; countries found fill an
article whose source gave none; component errors are noted in ``extra``) are
here as plain functions, so that storing one article
(``ExtractionService.store``) and storing a batch at once
(:func:`store_set_based`) apply the same ones.  A batch costs a fixed number
of statements (see ``store.mentions_batch`` and ``store.article_batch``)
instead of about twelve per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from kartoteka.extract.documentation import candidate_key, documentation
from kartoteka.extract.pipeline import NAME_LABELS, ExtractionResult
from kartoteka.model import Article, Mention
from kartoteka.store.article_batch import replace_countries_many, set_extras
from kartoteka.store.articles import EXTRACTED_COUNTRIES
from kartoteka.store.mentions import MentionRepository
from kartoteka.store.mentions_batch import Replacement, replace_many
from kartoteka.store.registry import RegistryRepository

EXTRACTION_ERRORS = "extraction_errors"
Decided = list[tuple[Mention, str | None]]


def with_decisions(conn: Connection, found: Sequence[Iterable[Mention]]) -> list[Decided]:
    """Each article's name mentions with their candidate keys; accepted candidates link.

    One look-up of editors' decisions for all the articles' keys.
    """
    keyed: list[Decided] = []
    for mentions in found:
        keyed.append([
            (m, candidate_key(m.normal or m.text) if m.entity_id is None else None)
            for m in mentions if m.label in NAME_LABELS
        ])
    accepted = MentionRepository(conn).accepted_links(
        k for article in keyed for _m, k in article if k)
    if not accepted:
        return keyed
    registry = RegistryRepository(conn)
    canonical = {k: registry.canonical_id(e) for k, e in accepted.items()}
    decided: list[Decided] = []
    for article in keyed:
        decided.append([
            (replace(m, confidence=1.0, entity_id=canonical[k]) if k and canonical.get(k)
             else m, k)
            for m, k in article
        ])
    return decided


def enrichment(
    article: Article, result: ExtractionResult
) -> tuple[list[str] | None, dict[str, Any] | None]:
    """(the article's new countries, its new ``extra``); None where nothing changes."""
    extra: dict[str, Any] = dict(article.extra)
    before = dict(extra)
    previous = set(extra.get(EXTRACTED_COUNTRIES) or [])
    found = sorted({c.code for c in result.countries})
    countries = None
    if not set(article.countries) - previous:
        if sorted(article.countries) != found:
            countries = found
        extra[EXTRACTED_COUNTRIES] = found
    else:
        extra.pop(EXTRACTED_COUNTRIES, None)
    if not extra.get(EXTRACTED_COUNTRIES):
        extra.pop(EXTRACTED_COUNTRIES, None)
    errors = [{"component": e.component, "message": e.message} for e in result.errors]
    if errors:
        extra[EXTRACTION_ERRORS] = errors
    else:
        extra.pop(EXTRACTION_ERRORS, None)
    return countries, (extra if extra != before else None)


def store_set_based(
    conn: Connection,
    ready: Sequence[tuple[Article, int, ExtractionResult]],
    names: Mapping[str, list[str]],
    countries: Mapping[str, list[str]],
) -> set[str]:
    """Replace the extraction of (article, pk, result) all at once; the candidate keys
    touched (recounted by the caller)."""
    decided = with_decisions(conn, [result.mentions for _a, _pk, result in ready])
    replacements: list[Replacement] = []
    new_countries: dict[int, list[str]] = {}
    new_extras: dict[int, dict[str, Any]] = {}
    for (article, pk, result), found in zip(ready, decided, strict=True):
        named = {c.code for c in result.countries} | set(article.countries)
        kept = [m for m, _key in found]
        replacements.append((pk, found, documentation(article.title, kept, names, countries,
                                                      named)))
        codes, extra = enrichment(article, result)
        if codes is not None:
            new_countries[pk] = codes
        if extra is not None:
            new_extras[pk] = extra
    touched = replace_many(conn, replacements)
    replace_countries_many(conn, new_countries)
    set_extras(conn, new_extras)
    return touched
