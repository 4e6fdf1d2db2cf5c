"""Dates and numbers written the way the page's language writes them (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from kartoteka.i18n import current_language


def day(value: date | datetime | None) -> str:
    """"4 Dec 2026" / "4 дек. 2026 г."; a datetime is shown by its date."""
    if value is None:
        return ""
    plain = value.date() if isinstance(value, datetime) else value
    return format_date(plain, format="medium", locale=current_language())


def moment(value: datetime | None) -> str:
    """A date and time to the minute, as stored (UTC), for logs and issued links."""
    if value is None:
        return ""
    code = current_language()
    return f"{format_date(value, 'medium', locale=code)} {format_time(value, 'short', locale=code)}"


def number(value: int | float | None) -> str:
    """"12,345" / "12 345"."""
    if value is None:
        return ""
    return format_decimal(value, locale=current_language())
