"""A cheap necessary condition for a search to match a text: its *gate*.

Matching many saved searches against new articles need not run each one
on each batch: a search can only match an article holding the first word
of its first required (not prefix) term, in the exact or the stemmed form
the index keeps.  So the matcher runs a search, restricted to the articles
its gate lets through, only when there are some; the search itself still
decides.  A search whose required terms are all prefixes has no gate.
"""

from __future__ import annotations

from kartoteka.text.query import ParsedQuery
from kartoteka.text.search_forms import indexed_text


def gate(query: ParsedQuery) -> frozenset[str] | None:
    """Forms of which an article must hold at least one to match (None: no gate)."""
    for term in query.positive:
        if term.prefix or not term.words:
            continue
        forms = {term.words[0]}
        if term.stemmed and term.stems:
            forms.add(term.stems[0])
        return frozenset(forms)
    return None


def text_forms(title: str, body: str, language: str | None) -> frozenset[str]:
    """Every exact form and stem the index holds for an article's title and body."""
    forms: set[str] = set()
    for part in (title, body):
        indexed = indexed_text(part, language)
        forms.update(indexed.exact.split())
        forms.update(indexed.stems.split())
    return frozenset(forms)
