"""Switching the interface language in Debian's Chromium, and the choice staying."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kartoteka.store.database import Database

from .conftest import LiveServer, WebData

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(sqlite_site: tuple[Database, WebData]) -> Iterator[LiveServer]:
    database, _data = sqlite_site
    with LiveServer(database) as server:
        yield server


def test_switching_to_russian_and_back_persists(
    site: LiveServer, chromium: Any, screenshots: Path
) -> None:
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(site.url + "/authors")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Authors and channels"
    assert page.locator("#language-en").get_attribute("aria-pressed") == "true"

    page.locator("#language-ru").click()
    page.wait_for_function("document.documentElement.lang === 'ru'")
    assert page.url == site.url + "/authors"  # the same page, now in Russian
    assert page.locator("h1").inner_text() == "Авторы и каналы"
    assert page.locator("#language-ru").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(screenshots / "language-ru-authors.png"), full_page=True)

    # The choice persists: other pages, a new tab, a reload.
    page.locator(".nav a[href='/']").click()
    page.wait_for_url(site.url + "/")
    assert page.locator("h2#latest-heading").inner_text() == "Последние статьи"
    other = context.new_page()
    other.goto(site.url + "/search?q=kosovo")
    assert other.locator("html").get_attribute("lang") == "ru"
    assert other.locator("h1").inner_text() == "Поиск"
    assert "результат" in other.locator("#results-heading").inner_text()
    other.reload()
    assert other.locator("h1").inner_text() == "Поиск"
    other.screenshot(path=str(screenshots / "language-ru-search.png"), full_page=True)

    other.locator("#language-en").click()
    other.wait_for_function("document.documentElement.lang === 'en'")
    assert other.locator("h1").inner_text() == "Search"
    page.goto(site.url + "/authors")
    assert page.locator("h1").inner_text() == "Authors and channels"
    assert errors == []
    context.close()


def test_a_russian_browser_gets_russian_without_choosing(site: LiveServer, chromium: Any) -> None:
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(site.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h2#latest-heading").inner_text() == "Последние статьи"
    context.close()
