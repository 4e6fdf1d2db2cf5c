from __future__ import annotations

from datetime import UTC, datetime

from kartoteka.model import Article, ArticleDraft, Author, AuthorKind, article_id_for_key


def test_article_id_is_stable_and_distinct_per_key() -> None:
    first = article_id_for_key("https://t.me/example/1")
    assert first == article_id_for_key("https://t.me/example/1")
    assert first != article_id_for_key("https://t.me/example/2")
    assert len(first) == 16 and int(first, 16) >= 0


def test_draft_key_prefers_source_key_then_url_then_source() -> None:
    draft = ArticleDraft(title="t", body="b", source="/tmp/a.txt")
    assert draft.key() == "/tmp/a.txt"
    draft.url = "https://example.org/a"
    assert draft.key() == "https://example.org/a"
    draft.source_key = "feed:entry-1"
    assert draft.key() == "feed:entry-1"


def test_author_label_falls_back_to_handle() -> None:
    assert Author("@chan", "", AuthorKind.CHANNEL).label == "@chan"
    assert Author("@chan", "The Channel").label == "The Channel"


def test_article_is_repost_when_it_points_at_an_original() -> None:
    now = datetime.now(UTC)
    article = Article(id="a", title="t", body="b", source="s", content_hash="h", ingested_at=now)
    assert not article.is_repost
    article.original_id = "b"
    assert article.is_repost
