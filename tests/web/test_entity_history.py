"""An entity's history page for editors: registry decisions with who made them."""

from __future__ import annotations

from kartoteka.services import decisions
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData


def test_editors_see_decisions_on_an_entity(db: Database, linked_data: WebData) -> None:
    site = Site(db)
    decisions.add_alias(db, "kla", "UÇK", by="editor@example.org")
    editor, _ = site.signed_in("editor")
    entity_page = editor.get("/entities/kla").text
    assert 'href="/entities/kla/history" class="entity-history-link"' in entity_page
    page = editor.get("/entities/kla/history")
    assert page.status_code == 200
    table = page.text.split('class="table judgements"', 1)[1].split("</table>", 1)[0]
    assert "editor@example.org" in table and "“UÇK”" in table


def test_a_merged_id_leads_to_the_kept_entitys_history(db: Database, linked_data: WebData) -> None:
    site = Site(db)
    decisions.merge(db, "thaci", "vucic", by="editor@example.org")
    editor, _ = site.signed_in("editor")
    moved = editor.get("/entities/vucic/history", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/entities/thaci/history"
    table = editor.get("/entities/thaci/history").text.split("</table>", 1)[0]
    assert "vucic" in table and "editor@example.org" in table
    assert editor.get("/entities/no-such-entity/history").status_code == 404


def test_readers_neither_see_the_link_nor_the_page(db: Database, linked_data: WebData) -> None:
    site = Site(db)
    reader, _ = site.signed_in("reader")
    assert "entity-history-link" not in reader.get("/entities/kla").text
    assert reader.get("/entities/kla/history", follow_redirects=False).status_code == 403
    anonymous = site.client()
    assert "entity-history-link" not in anonymous.get("/entities/kla").text
    refused = anonymous.get("/entities/kla/history", follow_redirects=False)
    assert refused.status_code in (303, 401, 403)
