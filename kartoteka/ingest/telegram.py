"""Telegram Desktop exports (``result.json``): one article per text message.

Two layouts exist: a single chat (``{"name", "type", "id", "messages"}``)
and a whole account (``{"about", ..., "chats": {"list": [...]}}``).  Message
text is a string or a list of strings and entity objects; newer exports
repeat it as ``text_entities`` and add ``date_unixtime``, older ones have
neither and use integer ``from_id``s.  The reader accepts all of these.

Service messages and posts without text are ``Skipped``, not errors.
Dates without ``*_unixtime`` are the exporting computer's local time with no
zone; they are taken as UTC, the best that can be said about them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions, Skipped
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.fields import (
    countries,
    from_unixtime,
    guess_language,
    hashtags_in,
    parse_datetime,
    title_from_text,
    unique,
    urls_in,
)
from kartoteka.ingest.guard import guarded, never_raises
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.text.encoding import UndecodableError, decode
from kartoteka.text.json_input import JsonInputError, load_json
from kartoteka.text.normalize import clean_text


@dataclass(slots=True)
class MessageText:
    """A message's plain text plus what its entities point at."""

    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    cashtags: list[str] = field(default_factory=list)


def message_text(message: Mapping[str, object]) -> MessageText:
    """Assemble text and entities from ``text_entities`` (newer) or ``text`` (any export)."""
    parts = message.get("text_entities")
    if not isinstance(parts, list) or (not parts and message.get("text")):
        raw = message.get("text", "")
        parts = raw if isinstance(raw, list) else [raw]
    found = MessageText()
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, Mapping):
            pieces.append(_entity(part, found))
    found.text = clean_text("".join(pieces))
    found.hashtags = unique([*found.hashtags, *hashtags_in(found.text)])
    found.links = unique([*found.links, *urls_in(found.text)])
    found.mentions = unique(found.mentions)
    found.cashtags = unique(found.cashtags)
    return found


def _entity(part: Mapping[str, object], found: MessageText) -> str:
    """The entity's visible text; its target is recorded in ``found``."""
    kind = str(part.get("type", "plain"))
    text = part.get("text", "")
    text = text if isinstance(text, str) else ""
    if kind == "hashtag":
        found.hashtags.append(text.lstrip("#"))
    elif kind == "cashtag":
        found.cashtags.append(text.lstrip("$"))
    elif kind == "mention":
        found.mentions.append(text)
    elif kind == "link":
        found.links.append(text if "://" in text else "https://" + text)
    elif kind == "text_link" and isinstance(part.get("href"), str):
        found.links.append(str(part["href"]))
    # Every other kind (bold, spoiler, pre, custom_emoji, …) only styles its text;
    # kinds added by later Telegram versions are read the same way.
    return text


@dataclass(frozen=True, slots=True)
class Chat:
    """The channel or group a message belongs to."""

    id: str
    name: str
    type: str
    username: str | None

    @property
    def author(self) -> Author:
        handle = "@" + self.username if self.username else self.name
        return Author(handle=handle, display_name=self.name, kind=AuthorKind.CHANNEL)

    def message_link(self, message_id: object) -> str | None:
        return f"https://t.me/{self.username}/{message_id}" if self.username else None


def looks_like_telegram(data: bytes) -> bool:
    """A JSON object whose first keys are a chat's (``messages``) or an account's (``about``)."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    if b'"about"' in head[:200] and b'"chats"' in data:
        return True
    return b'"messages"' in head and b'"type"' in head and b'"id"' in head


class TelegramReader:
    """Telegram Desktop ``result.json`` exports, single chat or whole account."""

    name = "telegram"

    def sniff(self, item: Input) -> bool:
        return looks_like_telegram(item.data)

    @never_raises
    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        origin = item.origin
        try:
            export = load_json(decode(item.data))
        except UndecodableError as exc:
            yield ItemError(origin, f"not a Telegram export: {exc}")
            return
        except JsonInputError as exc:
            yield ItemError(origin, _json_problem(exc))
            return
        chats = _chats(export)
        if chats is None:
            yield ItemError(origin, "unexpected schema: not a Telegram Desktop export (expected "
                            "an object with a 'messages' list, or 'chats': {'list': [...]}); "
                            "export with Telegram Desktop as JSON and pass result.json")
            return
        # --channel-username names the one chat of a single-chat export only.
        username = options.channel_username if len(chats) == 1 else None
        for index, raw_chat in enumerate(chats):
            yield from self._read_chat(origin, index, raw_chat, username, options)

    def _read_chat(self, origin: str, index: int, raw_chat: object, username: str | None,
                   options: ReadOptions) -> Iterator[ReadItem]:
        if not isinstance(raw_chat, Mapping) or not isinstance(raw_chat.get("messages"), list):
            yield ItemError(origin, f"chat {index + 1}: unexpected schema (no 'messages' list)")
            return
        chat = Chat(
            id=str(raw_chat.get("id", index + 1)),
            name=str(raw_chat.get("name") or f"chat {raw_chat.get('id', index + 1)}"),
            type=str(raw_chat.get("type", "")),
            username=username.lstrip("@") if username else None,
        )
        for position, message in enumerate(raw_chat["messages"], start=1):
            yield guarded(origin, f"chat {chat.name!r}, message #{position}",
                          partial(_read_message, origin, chat, position, message, options))


def _read_message(origin: str, chat: Chat, position: int, message: object,
                  options: ReadOptions) -> ReadItem:
    if not isinstance(message, Mapping) or "id" not in message:
        return ItemError(origin, f"chat {chat.name!r}, message #{position}: unexpected schema "
                         "(not an object with an 'id')")
    message_id = message["id"]
    where = f"chat {chat.name!r}, message {message_id}"
    kind = message.get("type", "message")
    if kind != "message":
        action = message.get("action")
        return Skipped(origin, f"{where}: {kind} message" + (f" ({action})" if action else ""))
    content = message_text(message)
    if not content.text:
        return Skipped(origin, f"{where}: no text (media only or empty)")
    published = from_unixtime(message.get("date_unixtime")) or parse_datetime(message.get("date"))
    if published is None:
        return ItemError(origin, f"{where}: no readable 'date' or 'date_unixtime'")
    link = chat.message_link(message_id)
    return ArticleDraft(
        title=title_from_text(content.text),
        body=content.text,
        source=origin,
        source_key=link or f"telegram:{chat.id}:{message_id}",
        language=guess_language(content.text),
        author=options.author or chat.author,
        published_at=published,
        countries=countries(options),
        hashtags=content.hashtags,
        links=content.links,
        url=link,
        extra=_extra(chat, message, content),
    )


def _extra(chat: Chat, message: Mapping[str, object], content: MessageText) -> dict[str, object]:
    edited = from_unixtime(message.get("edited_unixtime")) or parse_datetime(message.get("edited"))
    extra: dict[str, object] = {
        "telegram_id": message["id"],
        "telegram_chat_id": chat.id,
        "telegram_chat_type": chat.type,
        "forwarded_from": message.get("forwarded_from"),
        "edited_at": _iso(edited),
    }
    for key in ("from", "from_id", "reply_to_message_id"):
        if message.get(key) is not None:
            extra[key] = message[key]
    if content.mentions:
        extra["mentions"] = content.mentions
    if content.cashtags:
        extra["cashtags"] = content.cashtags
    return extra


def _chats(export: object) -> list[object] | None:
    """The chats of either export layout, or None when it is neither."""
    if not isinstance(export, Mapping):
        return None
    if isinstance(export.get("messages"), list):
        return [export]
    chats = export.get("chats")
    if not isinstance(chats, Mapping) or not isinstance(chats.get("list"), list):
        return None
    found: list[object] = list(chats["list"])
    left = export.get("left_chats")
    if isinstance(left, Mapping) and isinstance(left.get("list"), list):
        found.extend(left["list"])
    return found


def _json_problem(exc: JsonInputError) -> str:
    if exc.line is None:
        return f"{exc}; export it again with Telegram Desktop"
    cut = "truncated" if exc.truncated else "invalid"
    return (f"{cut} JSON at line {exc.line}, column {exc.column}: {exc.reason}; "
            "the export may be incomplete — export it again")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
