"""The interface's languages: which one a request gets, and its translated words.

Catalogs are gettext ``.po`` files under ``locales/<lang>/LC_MESSAGES/``,
kept in git and read at first use with Babel (``read_po``, compiled in
memory with ``write_mo``).  No compiled ``.mo`` file is committed or
generated at install: a fresh checkout, an editable install and a wheel all
work with no extra step, and a ``.po`` edit cannot go stale behind an old
``.mo``.  Reading both catalogs takes a few milliseconds, once per process.

The language of the request in progress lives in a context variable, set
by the web app's middleware (``use_language``); ``gettext`` and friends
read it, so templates, routes and error handlers all translate without
passing a locale around.  Anything outside a request (the CLI) gets English.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

log = logging.getLogger(__name__)

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
# The switch shows each language in its own words, whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

_current: ContextVar[str] = ContextVar("kartoteka_language", default=DEFAULT_LANGUAGE)
# msgids asked for in a non-English language that its catalog does not translate.
# The test that renders every page reads it; in production it only feeds a warning.
MISSING: set[tuple[str, str]] = set()


def current_language() -> str:
    return _current.get()


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """Run a block in a language (the web middleware wraps each request in one)."""
    token = _current.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=len(LANGUAGES))
def catalog(code: str) -> Translations:
    """The language's catalog, read from its ``.po`` file once per process.

    Fuzzy entries are left out, as ``msgfmt`` would: a guess is not a translation.
    """
    path = LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        messages = read_po(f, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, messages, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _missing(msgid: str) -> None:
    code = _current.get()
    if (code, msgid) not in MISSING:
        MISSING.add((code, msgid))
        log.warning("no %s translation for %r: run `make messages` and translate it", code, msgid)


def gettext(message: str) -> str:
    code = _current.get()
    if code == DEFAULT_LANGUAGE:
        return message
    found = catalog(code)._catalog.get(message)  # the only way to tell "missing" from "same"
    if found is None:
        _missing(message)
        return message
    return str(found)


def ngettext(singular: str, plural: str, n: int) -> str:
    code = _current.get()
    if code == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    translations = catalog(code)
    if (singular, 0) not in translations._catalog:
        _missing(singular)
    return translations.ngettext(singular, plural, n)


def lookup(message: str) -> str:
    """Translate ``message`` if the catalog has it, silently keep it otherwise.

    For text from outside the web layer (a service's error message) that may
    or may not be one of ours; a miss here is not a forgotten translation.
    """
    code = _current.get()
    if code == DEFAULT_LANGUAGE:
        return message
    found = catalog(code)._catalog.get(message)
    return str(found) if found else message


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; translate it where it is shown."""
    return message


class Message(str):
    """An English message that remembers its msgid and values, to be translated later.

    Layers below the web app (services raising errors) have no language; they
    raise with a ``Message`` and the error handler shows ``message.localised()``.
    As a ``str`` it is the English text, so logs and the CLI read it as before.
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, **params: object) -> Message:
        made = super().__new__(cls, msgid % params if params else msgid)
        made.msgid = msgid
        made.params = params
        return made

    def localised(self) -> str:
        """The message in the current language; a value that is itself a Message too."""
        text = gettext(self.msgid)
        if not self.params:
            return text
        values = {k: v.localised() if isinstance(v, Message) else v for k, v in self.params.items()}
        return text % values


def localise(value: object) -> str:
    """The user-facing text of an error or message, in the current language."""
    if isinstance(value, BaseException) and value.args:
        value = value.args[0] if isinstance(value.args[0], Message) else str(value)
    if isinstance(value, Message):
        return value.localised()
    return lookup(str(value))
