"""The review page shows what extraction finds in a draft: registry entities and
names the registry does not know."""

from __future__ import annotations

import re

from kartoteka.auth.roles import Actor, Role
from kartoteka.extract.pipeline import NAME_LABELS
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData

TEXT = (
    "The Gulf Cartel fought Los Zetas in Tamaulipas. "
    "Later the Gulf Cartel lost ground to Los Zetas."
)


def test_review_item_lists_linked_and_unresolved_names(db: Database, linked_data: WebData) -> None:
    site = Site(db)
    author = Actor(site.email("contributor"), Role.CONTRIBUTOR)
    draft = site.services.review.submit_text(author, "Gulf coast draft", TEXT).article_id
    editor, _ = site.signed_in("editor")
    page = editor.get(f"/review/{draft}")
    assert page.status_code == 200
    section = page.text.split('id="entities-heading"', 1)[1].split("</section>", 1)[0]
    linked = section.split('class="plain draft-linked"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="/entities/zetas">' in linked and "found as Los Zetas" in linked
    unresolved = section.split('class="plain draft-unresolved"', 1)[1].split("</ul>", 1)[0]
    # Statistical NER decides which spans are names; whatever it finds is labelled.
    names = re.findall(r'<li>([^<]+) <span class="meta">(\w+)', unresolved)
    assert names and all(label in NAME_LABELS for _text, label in names)
    assert "zetas" not in unresolved.casefold()


def test_a_draft_without_names_says_so(db: Database, web_data: WebData) -> None:
    site = Site(db)
    author = Actor(site.email("contributor"), Role.CONTRIBUTOR)
    submitted = site.services.review.submit_text(author, "plain", "nothing named here at all")
    draft = submitted.article_id
    editor, _ = site.signed_in("editor")
    assert "Extraction found no names" in editor.get(f"/review/{draft}").text
