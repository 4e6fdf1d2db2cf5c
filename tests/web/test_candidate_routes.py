"""The candidate-entity queue in the web app: the same decisions as the CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kartoteka.model import ArticleDraft
from kartoteka.services import candidates
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData

BODY = (
    "Agron Berisha met veterans of the Kosovo Liberation Army in Pristina. "
    "Agron Berisha denied any link to the old networks; Dritan Hoxha agreed."
)


@pytest.fixture
def queue(db: Database, linked_data: WebData) -> Iterator[Site]:
    IngestService(db).store(ArticleDraft("Security firms in Pristina", BODY, "test:berisha"))
    ExtractionService(db).extract_all()
    names = {c.name for c in candidates.list_candidates(db)}
    assert {"Agron Berisha", "Dritan Hoxha"} <= names, names
    yield Site(db)


def test_the_queue_shows_open_candidates_with_context(queue: Site) -> None:
    editor, _ = queue.signed_in("editor")
    page = editor.get("/candidates")
    assert page.status_code == 200
    item = page.text.split("Agron Berisha <span", 1)[1].split("</li>\n  <li", 1)[0]
    assert re.search(r"(PER|ORG|LOC) · 2 mentions in 1 article", item)
    # One context per article: around the name's first mention there.
    contexts = re.findall(r"<li>(.*?)</li>", item.split('<ul class="contexts">', 1)[1])
    assert len(contexts) == 1 and "Agron Berisha met veterans" in contexts[0], contexts
    assert 'action="/candidates/reject"' in item and 'name="csrf_token"' in item


def test_reject_and_accept_from_the_queue(db: Database, queue: Site) -> None:
    editor, token = queue.signed_in("editor")
    done = editor.post(
        "/candidates/reject",
        data={"csrf_token": token, "name": "Dritan Hoxha"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/candidates?done=decided"
    decided = candidates.find_candidate(db, "Dritan Hoxha")
    assert (decided.status, decided.decided_by) == ("rejected", queue.email("editor"))
    assert "Dritan Hoxha" not in editor.get("/candidates").text

    alias = editor.post(
        "/candidates/accept",
        data={"csrf_token": token, "name": "Agron Berisha", "entity": "thaci"},
        follow_redirects=False,
    )
    assert alias.status_code == 303
    assert candidates.find_candidate(db, "Agron Berisha").entity_id == "thaci"
    assert "Agron Berisha" in registry_service.get_entity(db, "thaci").entity.all_names()


def test_accepting_as_new_and_refusals(db: Database, queue: Site) -> None:
    editor, token = queue.signed_in("editor")
    new = editor.post(
        "/candidates/accept",
        data={"csrf_token": token, "name": "Dritan Hoxha", "new_as": "Person"},
        follow_redirects=False,
    )
    assert new.status_code == 303
    made = candidates.find_candidate(db, "Dritan Hoxha")
    assert made.status == "accepted" and made.entity_id
    assert registry_service.get_entity(db, made.entity_id).entity.schema == "Person"

    unknown = editor.post(
        "/candidates/accept",
        data={"csrf_token": token, "name": "Agron Berisha", "entity": "no-such-entity"},
    )
    assert unknown.status_code == 422 and "no-such-entity" in unknown.text
    neither = editor.post(
        "/candidates/accept", data={"csrf_token": token, "name": "Agron Berisha"}
    )
    assert neither.status_code == 422 and "Person or Organization" in neither.text
    missing = editor.post("/candidates/reject", data={"csrf_token": token, "name": "Nobody Here"})
    assert missing.status_code == 422 and "no candidate named" in missing.text
    assert candidates.find_candidate(db, "Agron Berisha").status == "open"


def test_posts_need_the_csrf_token_and_an_editor(queue: Site) -> None:
    editor, _ = queue.signed_in("editor")
    refused = editor.post("/candidates/reject", data={"name": "Agron Berisha"})
    assert refused.status_code in (400, 403)
    contributor, token = queue.signed_in("contributor")
    denied = contributor.post(
        "/candidates/reject", data={"csrf_token": token, "name": "Agron Berisha"}
    )
    assert denied.status_code == 403
    assert candidates.find_candidate(queue.db, "Agron Berisha").status == "open"
