"""The contributor's journey in Debian's Chromium: a join request, an admin
accepts it, the new contributor sets a password through the invitation link,
signs in and submits, an editor publishes, and the article is public.
Screenshots go to artifacts/screenshots/journey-*.png."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Checkpoints on the Menaka road"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    db = Database(f"sqlite:///{tmp_path / 'journey.db'}")
    db.migrate()
    site = Site(db)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(site.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield site, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_join_accept_invite_submit_publish(
    site: tuple[Site, str], chromium: Any, screenshots: Path
) -> None:
    kartoteka, base = site
    errors: list[str] = []

    def new_page() -> Any:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    # 1. A visitor asks to join.
    visitor = new_page()
    visitor.goto(base + "/")
    visitor.get_by_role("link", name="Join the project").click()
    visitor.get_by_label("Your name").fill("Amina Diallo")
    visitor.get_by_label("How to contact you").fill("amina@example.org")
    visitor.get_by_label("Your @handle").fill("@sahel_notes")
    visitor.get_by_label("A short note").fill("I track armed groups around Menaka.")
    visitor.get_by_role("button", name="Send the request").click()
    visitor.wait_for_url("**/join?done=joined")
    assert "your request was sent" in visitor.locator(".notice").inner_text()
    visitor.screenshot(path=str(screenshots / "journey-1-join.png"), full_page=True)

    # 2. An admin accepts it and sees the one-time invitation link.
    admin = new_page()
    sign_in(admin, base, kartoteka.email("admin"), kartoteka.passwords["admin"])
    admin.get_by_role("link", name="Admin").click()
    assert "I track armed groups around Menaka." in admin.locator(".join-request").inner_text()
    admin.get_by_role("button", name="Accept Amina Diallo").click()
    link = admin.locator("#issued-link").inner_text().strip()
    assert re.fullmatch(re.escape(base) + r"/invitation/[A-Za-z0-9_-]+", link)
    admin.screenshot(path=str(screenshots / "journey-2-accepted.png"), full_page=True)

    # 3. The contributor sets a password, signs in and submits an article.
    author = new_page()
    author.goto(link)
    author.get_by_label("New password").fill("menaka-road-2024")
    author.get_by_label("The same password again").fill("menaka-road-2024")
    author.get_by_role("button", name="Set the password").click()
    author.wait_for_url("**/login?done=password_set")
    sign_in(author, base, "amina@example.org", "menaka-road-2024")
    author.get_by_role("link", name="My submissions").click()
    author.get_by_role("link", name="Submit an article").click()
    author.get_by_label("Title").fill(TITLE)
    author.get_by_label("Text (Markdown)").fill(
        "Armed men stopped traffic near Menaka.\n\nSee https://example.org/menaka for the map."
    )
    author.get_by_label("Countries").fill("ml")
    author.get_by_role("button", name="Submit for review").click()
    author.wait_for_url("**/submissions/*?done=submitted")
    assert author.locator("#submission-status").inner_text() == "draft"
    article_url = author.get_by_role("link", name="history").get_attribute("href")
    assert article_url
    article_id = article_url.split("/")[2]
    author.screenshot(path=str(screenshots / "journey-3-submitted.png"), full_page=True)

    # The public does not see the draft.
    public = new_page()
    assert public.goto(f"{base}/articles/{article_id}").status == 404

    # 4. An editor reviews and publishes it.
    editor = new_page()
    sign_in(editor, base, kartoteka.email("editor"), kartoteka.passwords["editor"])
    editor.get_by_role("link", name="Review", exact=True).click()
    editor.get_by_role("link", name=TITLE).click()
    assert "submitted by amina@example.org" in editor.locator(".lead").inner_text()
    editor.screenshot(path=str(screenshots / "journey-4-review.png"), full_page=True)
    editor.get_by_label("publish").check()
    editor.get_by_role("button", name="Save the decision").click()
    editor.wait_for_url("**/review?done=publish")
    assert "published" in editor.locator(".notice").inner_text()

    # 5. The article is public, and search finds it.
    response = public.goto(f"{base}/articles/{article_id}")
    assert response.status == 200
    assert public.locator("h1").inner_text() == TITLE
    public.screenshot(path=str(screenshots / "journey-5-public.png"), full_page=True)
    public.goto(base + "/search?q=menaka")
    assert TITLE in public.locator(".hits").inner_text()
    assert errors == []
