"""E-mail digests of new alerts: one message per user, on each watchlist's schedule.

A watchlist sends ``immediate``ly (every run), ``daily``, ``weekly`` or
``off``.  Alerts are claimed before the message goes out and given back if
the SMTP server refuses it, so a run repeated, or two at once, never send
an alert twice; a crash between claiming and sending loses that digest
rather than sending it again.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from kartoteka.i18n import DEFAULT_LANGUAGE, current_language, gettext, ngettext, use_language
from kartoteka.services.alerts import watch_label
from kartoteka.settings import SmtpSettings
from kartoteka.store import deliveries
from kartoteka.store.alerts_tables import watchlists
from kartoteka.store.database import Database
from kartoteka.store.watchlists import AlertRow, Watchlist

log = logging.getLogger(__name__)

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A run from cron at the same hour each day may come a little early.
SLACK = timedelta(minutes=10)
EMAILED = "emailed_at"


@dataclass(slots=True)
class DigestReport:
    messages: int = 0
    alerts: int = 0
    errors: list[str] = field(default_factory=list)


def is_due(watchlist: Watchlist, now: datetime) -> bool:
    period = PERIODS.get(watchlist.frequency)
    if watchlist.frequency == "immediate" or watchlist.last_digest_at is None:
        return watchlist.frequency != "off"
    return period is not None and now - watchlist.last_digest_at >= period - SLACK


def compose(sender: str, to: str, base_url: str, groups: list[tuple[Watchlist, list[AlertRow]]],
            now: datetime, language: str | None = None) -> EmailMessage:
    """The digest as plain text: each watchlist, then its new articles with their links.

    Written in the recipient's interface language (``users.language``), English
    if they never chose one: a cron job has no browser to ask.
    """
    with use_language(language or DEFAULT_LANGUAGE):
        return _compose(sender, to, base_url, groups, now)


def _compose(sender: str, to: str, base_url: str,
             groups: list[tuple[Watchlist, list[AlertRow]]], now: datetime) -> EmailMessage:
    count = sum(len(found) for _, found in groups)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="kartoteka")
    message["Subject"] = ngettext(
        "kartoteka: %(num)s new article", "kartoteka: %(num)s new articles", count
    ) % {"num": count}
    lines = [gettext("New articles for what you follow on %(site)s:") % {"site": base_url}, ""]
    for watchlist, found in groups:
        lines.append(f"{watch_label(watchlist)} ({len(found)})")
        for alert in found:
            lines.append(f"  - {alert.title}")
            lines.append(f"    {base_url}/articles/{alert.article_id}")
        lines.append("")
    lines.append(gettext("Manage what you follow and how often you hear: %(address)s")
                 % {"address": f"{base_url}/account/alerts"})
    message.set_content("\n".join(lines))
    message["Content-Language"] = current_language()  # after set_content, which clears it
    return message



class DigestSender:
    def __init__(self, db: Database, smtp: SmtpSettings, base_url: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.smtp = smtp
        self.base_url = base_url.rstrip("/")
        self.clock = clock

    def run(self) -> DigestReport:
        report = DigestReport()
        if not self.smtp.host:
            return report
        now = self.clock()
        with self.db.read() as conn:
            recipients = deliveries.recipients(conn)
        for recipient in recipients:
            due = [w for w in recipient.watchlists if is_due(w, now)]
            if due:
                self._send_one(recipient, due, now, report)
        return report

    def _send_one(self, recipient: deliveries.Recipient, due: list[Watchlist],
                  now: datetime, report: DigestReport) -> None:
        with self.db.transaction() as conn:
            claimed = deliveries.claim(conn, EMAILED, [w.pk for w in due], now)
        if not claimed:
            return
        groups = [(w, [a for a in claimed if a.watchlist_pk == w.pk]) for w in due]
        groups = [(w, found) for w, found in groups if found]
        message = compose(self.smtp.sender, recipient.email, self.base_url, groups, now,
                          recipient.language)
        try:
            self._deliver(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("e-mail digest to %s not sent: %s", recipient.email, exc)
            report.errors.append(f"{recipient.email}: {exc}")
            with self.db.transaction() as conn:
                deliveries.release(conn, EMAILED, [a.pk for a in claimed])
            return
        with self.db.transaction() as conn:
            conn.execute(watchlists.update().where(watchlists.c.pk.in_([w.pk for w, _ in groups]))
                         .values(last_digest_at=now))
        report.messages += 1
        report.alerts += len(claimed)

    def _deliver(self, message: EmailMessage) -> None:
        smtp = self.smtp
        if smtp.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
        with client:
            if smtp.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
