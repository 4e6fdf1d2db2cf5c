"""Webhooks: each watchlist's new alerts POSTed as JSON, signed, retried with back-off.

The body is signed with HMAC-SHA256 under the watchlist's own secret and
the signature sent as ``X-Kartoteka-Signature: sha256=<hex>``, so a
receiver can tell the call came from us and was not altered.  A delivery
that fails (no answer, or a status other than 2xx) is tried again after 1,
2, 4, … minutes, up to ``MAX_ATTEMPTS``; every attempt is recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from kartoteka.store import deliveries
from kartoteka.store.database import Database
from kartoteka.store.watchlists import AlertRow, Watchlist, WatchlistRepository

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Kartoteka-Signature"
DELIVERY_HEADER = "X-Kartoteka-Delivery"
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
TIMEOUT_SECONDS = 10.0
HOOKED = "hooked_at"


@dataclass(slots=True)
class WebhookReport:
    queued: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def private_address(url: str) -> str | None:
    """The loopback, private or link-local address ``url``'s host resolves to, if any.

    Any signed-in reader may set a webhook: without this check the server
    could be made to POST to services on its own network."""
    host = httpx.URL(url).host
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # the request itself will fail and say so
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            return str(address)
    return None


def retry_delay(attempts: int) -> timedelta:
    """After the ``attempts``-th failure: 1, 2, 4, … minutes."""
    return FIRST_RETRY * (1 << max(0, attempts - 1))


class WebhookSender:
    def __init__(self, db: Database, base_url: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 transport: httpx.BaseTransport | None = None,
                 allow_private: bool = False) -> None:
        self.db = db
        # KARTOTEKA_WEBHOOK_ALLOW_PRIVATE=1: receivers on the server's own network.
        self.allow_private = allow_private
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.transport = transport

    def run(self) -> WebhookReport:
        report = WebhookReport()
        self.queue(report)
        self.deliver(report)
        return report

    def queue(self, report: WebhookReport) -> None:
        """One delivery per watchlist with a webhook and new alerts."""
        now = self.clock()
        with self.db.transaction() as conn:
            hooked = [w for w in WatchlistRepository(conn).all_active() if w.webhook_url]
            for watchlist in hooked:
                claimed = deliveries.claim(conn, HOOKED, [watchlist.pk], now)
                if claimed:
                    deliveries.add_delivery(conn, watchlist.pk,
                                            self._body(watchlist, claimed, now), now)
                    report.queued += 1

    def _body(self, watchlist: Watchlist, claimed: list[AlertRow],
              now: datetime) -> str:
        return json.dumps({
            "watchlist": {"id": watchlist.pk, "kind": watchlist.kind, "key": watchlist.key,
                          "label": watchlist.label},
            "sent_at": now.isoformat(),
            "articles": [
                {"id": a.article_id, "title": a.title,
                 "url": f"{self.base_url}/articles/{a.article_id}",
                 "published_at": a.published_at.isoformat() if a.published_at else None}
                for a in claimed
            ],
        }, ensure_ascii=False)

    def deliver(self, report: WebhookReport) -> None:
        now = self.clock()
        with self.db.read() as conn:
            due = deliveries.due_deliveries(conn, now)
        if not due:
            return
        with httpx.Client(timeout=TIMEOUT_SECONDS, transport=self.transport,
                          follow_redirects=False) as client:
            for delivery in due:
                self._attempt(client, delivery, now, report)

    def _attempt(self, client: httpx.Client, delivery: deliveries.Delivery, now: datetime,
                 report: WebhookReport) -> None:
        body = delivery.body.encode("utf-8")
        status: int | None = None
        error: str | None = None
        private = None if self.allow_private else private_address(delivery.url)
        try:
            if private is not None:
                raise httpx.UnsupportedProtocol(
                    f"refused: the address resolves to {private}, on a private network "
                    "(KARTOTEKA_WEBHOOK_ALLOW_PRIVATE=1 allows it)"
                )
            response = client.post(delivery.url, content=body, headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature(delivery.secret, body),
                DELIVERY_HEADER: str(delivery.pk),
                "User-Agent": "kartoteka-webhook/1",
            })
            status = response.status_code
            if not response.is_success:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        attempts = delivery.attempts + 1
        ok = error is None
        retry_at = None if ok or attempts >= MAX_ATTEMPTS else now + retry_delay(attempts)
        with self.db.transaction() as conn:
            deliveries.record_attempt(conn, delivery.pk, now, status, error,
                                      delivered=ok, retry_at=retry_at)
        if ok:
            report.delivered += 1
            return
        message = f"webhook {delivery.url} (delivery {delivery.pk}, attempt {attempts}): {error}"
        log.warning("%s", message)
        report.errors.append(message)
        if retry_at is None:
            report.failed += 1
        else:
            report.retrying += 1
