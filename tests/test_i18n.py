"""The message catalogs: complete, in step with the code, and read the way pages use them.

If ``test_catalogs_hold_every_marked_string`` fails, run ``make messages`` and
translate what it added (see tests/web/test_languages.py for the steps).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from babel.messages.pofile import read_po

from kartoteka import i18n
from kartoteka.catalog.countries import all_codes, country_name_in
from kartoteka.i18n import Message, gettext, localise, ngettext, use_language
from kartoteka.i18n.choice import choose_language, preferred_languages
from kartoteka.i18n.formats import day, number
from kartoteka.services.articles import ArticleNotFound

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "kartoteka" / "i18n" / "locales"


def _read(language: str):  # type: ignore[no-untyped-def]
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=language)


def test_every_russian_entry_is_translated_and_not_fuzzy() -> None:
    catalog = _read("ru")
    empty, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not empty, f"no Russian msgstr in ru/LC_MESSAGES/messages.po for: {empty}"
    assert not fuzzy, f"fuzzy (guessed) entries: check the Russian, drop '#, fuzzy': {fuzzy}"


def test_translations_keep_their_placeholders() -> None:
    """A msgstr that loses or renames a %(name)s would fail only when that page renders."""
    problems = [
        f"{message.id!r}: {[str(e) for e in errors]}" for message, errors in _read("ru").check()
    ]
    assert not problems


def test_catalogs_hold_every_marked_string(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "N_", "-k", "Message", "--no-location", "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with template.open("rb") as f:
        marked = {m.id for m in read_po(f) if m.id}
    for language in i18n.LANGUAGES:
        held = {m.id for m in _read(language) if m.id}
        assert marked - held == set(), (
            f"strings marked in the code but not in the {language} catalog: run `make messages`"
        )


def test_every_module_that_marks_strings_is_extracted() -> None:
    """A ``Message`` raised in a module babel.cfg does not list would never reach a catalog."""
    from configparser import ConfigParser

    from babel.util import pathmatch

    config = ConfigParser()
    config.read(ROOT / "babel.cfg")
    patterns = [s.split(":", 1)[1].strip() for s in config.sections() if s.startswith("python:")]
    imports = re.compile(r"^from kartoteka\.i18n import (\([^)]*\)|.*)$", re.M)
    marking = re.compile(r"\b(Message|N_|gettext|ngettext)\b")
    unlisted = []
    for module in sorted((ROOT / "kartoteka").rglob("*.py")):
        path = module.relative_to(ROOT).as_posix()
        names = " ".join(imports.findall(module.read_text(encoding="utf-8")))
        if marking.search(names) and not any(
            pathmatch(pattern, path) for pattern in patterns
        ):
            unlisted.append(path)
    assert unlisted == [], f"add these to babel.cfg, then run `make messages`: {unlisted}"


def test_english_is_the_text_itself_and_russian_comes_from_the_catalog() -> None:
    assert gettext("Latest articles") == "Latest articles"
    with use_language("ru"):
        assert gettext("Latest articles") == "Последние статьи"
        forms = [ngettext("%(num)s article", "%(num)s articles", n) % {"num": n}
                 for n in (1, 3, 5, 21)]
        assert forms == ["1 статья", "3 статьи", "5 статей", "21 статья"]
    with use_language("xx"):  # an unknown language is English
        assert i18n.current_language() == "en"


def test_a_message_is_english_as_text_and_translated_when_shown() -> None:
    error = ArticleNotFound("abc")
    assert str(error) == "no article with id 'abc'"  # what the CLI and the logs print
    assert localise(error) == "no article with id 'abc'"
    with use_language("ru"):
        assert str(error) == "no article with id 'abc'"
        assert localise(error) == "нет статьи с id 'abc'"
        assert localise("not one of ours") == "not one of ours"
        assert localise(Message("similar text")) == "похожий текст"


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "en"),
        (None, "ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        (None, "de-DE,de;q=0.9,ru;q=0.5", "ru"),
        (None, "de-DE, fr;q=0.8", "en"),
        (None, "ru;q=0, en", "en"),
        (None, "ru;q=garbage", "en"),
        ("ru", "en", "ru"),
        ("en", "ru", "en"),
        ("zz", "ru", "ru"),
    ],
)
def test_choosing_the_language(cookie: str | None, header: str | None, expected: str) -> None:
    assert choose_language(cookie, header) == expected


def test_a_huge_accept_language_header_is_cut_short() -> None:
    assert len(preferred_languages(",".join(["de"] * 10_000))) == 20


def test_dates_and_numbers_follow_the_language() -> None:
    from datetime import date

    assert day(date(2020, 6, 10)) == "Jun 10, 2020"
    assert number(12345) == "12,345"
    with use_language("ru"):
        assert day(date(2020, 6, 10)) == "10 июн. 2020\u202fг."  # CLDR: a narrow no-break space
        assert number(12345) == "12\xa0345"


def test_every_country_has_a_russian_name_kosovo_included() -> None:
    assert country_name_in("xk", "ru") == "Косово"
    assert country_name_in("ru", "ru") == "Россия"
    assert country_name_in("kp", "ru") == "Северная Корея"
    assert country_name_in("xk", "en") == "Kosovo"
    latin_only = [c for c in all_codes() if not re.search("[а-яё]", country_name_in(c, "ru"), re.I)]
    assert latin_only == []
    assert len(all_codes()) == len(pycountry.countries) + 1


def test_the_english_catalog_translates_nothing() -> None:
    """English is the msgid itself; a msgstr there (a fuzzy guess, say) would be shown instead."""
    filled = [m.id for m in _read("en") if m.id and (m.fuzzy or any(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert filled == []
