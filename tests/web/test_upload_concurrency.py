"""An upload's reading and storing run off the event loop (issue 14, defect 3)."""

from __future__ import annotations

import threading

import httpx

from kartoteka.services.ingest import Outcome
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import LiveServer


def test_other_requests_are_served_while_an_upload_is_stored(db: Database) -> None:
    site = Site(db)
    user = site.services.accounts.get_user(site.email("contributor"))
    issued = site.services.sessions.start(user)
    token = site.services.sessions.csrf_token(issued.secret)
    entered, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def hold(repo: ArticleRepository, article_id: str, outcome: Outcome) -> None:
        """Keeps the upload busy inside its transaction until the test lets go."""
        entered.set()
        released.append(release.wait(timeout=20))

    site.services.review.ingest.after_store.append(hold)
    upload: dict[str, httpx.Response] = {}
    with LiveServer(db, site.app) as server:

        def send() -> None:
            upload["response"] = httpx.post(
                f"{server.url}/submit/upload",
                cookies={COOKIE_NAME: issued.secret},
                data={"csrf_token": token or "", "fmt": "auto"},
                files={"file": ("note.md", b"# A held note\n\nStored while others read.\n")},
                timeout=30,
            )

        sender = threading.Thread(target=send)
        sender.start()
        assert entered.wait(timeout=20), "the upload never reached the store"
        # The upload is still inside its store: this request must not wait for it.
        other = httpx.get(f"{server.url}/", timeout=10)
        assert other.status_code == 200
        assert not upload, "the upload finished before the other request was answered"
        release.set()
        sender.join(timeout=30)
    assert released == [True]
    assert upload["response"].status_code == 200
