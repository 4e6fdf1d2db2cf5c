from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.model import ArticleStatus
from kartoteka.services.articles import ArticleNotFound, get_article, list_articles
from kartoteka.services.catalog import build_catalog
from kartoteka.services.catalog_import import import_catalog
from kartoteka.services.deletion import DeletionService
from kartoteka.services.export import write_jsonl
from kartoteka.services.history import article_history, diff_revisions, visible_article
from kartoteka.services.ingest import IngestService, Outcome
from kartoteka.services.review import ReviewError, ReviewService
from kartoteka.services.search import search
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database

ANON = Actor.anonymous()
READER = Actor("r@example.org", Role.READER, 1)
CONTRIB = Actor("co@example.org", Role.CONTRIBUTOR, 2)
OTHER = Actor("other@example.org", Role.CONTRIBUTOR, 3)
EDITOR = Actor("ed@example.org", Role.EDITOR, 4)
ADMIN = Actor("boss@example.org", Role.ADMIN, 5)
QUIRKS = Path(__file__).resolve().parents[1] / "data" / "catalog" / "import_quirks.txt"
BODY = "The zebrafinch network moved cash through three exchange offices in Novi Sad."


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def review(db: Database) -> ReviewService:
    return ReviewService(db, ingest=ingest_service(db), clock=Clock())


def public_sees(db: Database, article_id: str, word: str) -> dict[str, bool]:
    """Every public read path, each asked whether it shows the article."""
    out = io.StringIO()
    write_jsonl(db, out)
    exported = {json.loads(line)["id"] for line in out.getvalue().splitlines()}
    listed, total = list_articles(db, limit=500)
    try:
        get_article(db, article_id, include_unpublished=False)
        by_id = True
    except ArticleNotFound:
        by_id = False
    try:
        visible_article(db, ANON, article_id)
        visible = True
    except ArticleNotFound:
        visible = False
    return {
        "search": article_id in {h.id for h in search(db, word).hits},
        "list": article_id in {a.id for a in listed},
        "count": total > 0,
        "export": article_id in exported,
        "get": by_id,
        "visible": visible,
    }


def test_a_draft_leaks_nowhere_until_published(db: Database, review: ReviewService) -> None:
    submitted = review.submit_text(CONTRIB, "Exchange offices", BODY, countries=["RS"])
    assert submitted.outcome is Outcome.ADDED and submitted.duplicate_of is None
    hidden = public_sees(db, submitted.article_id, "zebrafinch")
    assert hidden == dict.fromkeys(hidden, False)
    for actor in (READER, OTHER):
        with pytest.raises(ArticleNotFound):
            visible_article(db, actor, submitted.article_id)
    assert visible_article(db, CONTRIB, submitted.article_id).status is ArticleStatus.DRAFT
    assert visible_article(db, EDITOR, submitted.article_id).title == "Exchange offices"

    review.publish(EDITOR, submitted.article_id, "good sourcing")
    shown = public_sees(db, submitted.article_id, "zebrafinch")
    assert shown == dict.fromkeys(shown, True)


def test_a_draft_repost_is_not_listed_under_a_published_original(
    db: Database, review: ReviewService
) -> None:
    original, _ = IngestService(db).store(
        _draft("Original", "An original text about the harbour.", "orig")
    )
    draft = review.submit_text(CONTRIB, "Repost", "A draft repost of the harbour text.")
    with db.transaction() as conn:
        ArticleRepository(conn).set_original(draft.article_id, original)
    assert get_article(db, original).reposts  # editors see it
    assert get_article(db, original, include_unpublished=False).reposts == []


def test_submission_never_overwrites_a_published_article_with_the_same_source(
    db: Database, review: ReviewService, data_dir: Path
) -> None:
    path = data_dir / "accounts" / "submission.md"
    published = IngestService(db).ingest([str(path)])
    published_id = published.article_ids[0]
    changed = path.read_bytes().replace(b"Two local sources", b"Three local sources")
    result = review.submit_file(CONTRIB, str(path), changed)
    assert len(result.submissions) == 1 and result.errors == []
    draft_id = result.submissions[0].article_id
    assert draft_id != published_id
    public = get_article(db, published_id, include_unpublished=False).article
    assert "Two local sources" in public.body and public.revision == 1
    draft = get_article(db, draft_id).article
    assert draft.status is ArticleStatus.DRAFT and "Three local sources" in draft.body
    assert draft.author is not None and draft.author.handle == "@field_notes"
    assert draft.extra["submitted_key"] == str(path)


def test_uploaded_text_file_becomes_a_draft_and_exact_duplicates_are_named(
    db: Database, review: ReviewService, data_dir: Path
) -> None:
    path = data_dir / "accounts" / "field-note.txt"
    first = review.submit_file(CONTRIB, path.name, path.read_bytes())
    assert [s.outcome for s in first.submissions] == [Outcome.ADDED]
    again = review.submit_file(OTHER, path.name, path.read_bytes())
    assert again.submissions[0].duplicate_of == first.submissions[0].article_id
    assert get_article(db, first.submissions[0].article_id).article.title == (
        "Harbour smuggling route, second note"
    )
    with pytest.raises(ReviewError, match="empty"):
        review.submit_file(CONTRIB, "blank.md", b"  \n")


def test_review_queue_shows_diff_duplicates_and_comments(
    db: Database, review: ReviewService
) -> None:
    IngestService(db).store(_draft("Exchange offices", "An older published piece.", "old"))
    sub = review.submit_text(CONTRIB, "Exchange offices", BODY + "\nSecond line.")
    review.request_changes(EDITOR, sub.article_id, "Name the three offices.")
    with pytest.raises(ReviewError, match="changes_requested: cannot publish"):
        review.publish(EDITOR, sub.article_id)
    review.resubmit(CONTRIB, sub.article_id, "Exchange offices", BODY + "\nOffices: A, B, C.")
    [item] = review.queue(EDITOR)
    assert item.article.id == sub.article_id and item.article.revision == 2
    assert item.submitted_by == "co@example.org"
    assert "-Second line." in item.diff and "+Offices: A, B, C." in item.diff
    assert item.diff.startswith("--- revision 1\n+++ revision 2")
    assert len(item.duplicates) == 1  # the published piece with the same title
    assert [(c.action, c.comment, c.revision) for c in item.comments] == [
        ("request_changes", "Name the three offices.", 1)
    ]
    assert diff_revisions(db, EDITOR, sub.article_id, 1, 2) == item.diff


def test_decisions_need_the_right_role_and_state(db: Database, review: ReviewService) -> None:
    sub = review.submit_text(CONTRIB, "Exchange offices", BODY)
    with pytest.raises(PermissionDenied):
        review.publish(CONTRIB, sub.article_id)
    with pytest.raises(PermissionDenied):
        review.queue(CONTRIB)
    with pytest.raises(PermissionDenied):
        review.submit_text(READER, "t", "x")
    with pytest.raises(ReviewError, match="needs a comment"):
        review.request_changes(EDITOR, sub.article_id, "  ")
    with pytest.raises(PermissionDenied):
        review.resubmit(OTHER, sub.article_id, "Mine now", "Other text entirely.")
    rejected = review.reject(EDITOR, sub.article_id, "off topic")
    assert rejected.status is ArticleStatus.REJECTED
    with pytest.raises(ReviewError, match="rejected"):
        review.resubmit(CONTRIB, sub.article_id, "Again", "Trying again.")
    assert review.queue(EDITOR) == []
    assert [a.id for a in review.my_submissions(CONTRIB)] == [sub.article_id]
    assert review.my_submissions(OTHER) == []


def test_every_decision_is_audited_with_status_before_and_after(
    db: Database, review: ReviewService
) -> None:
    sub = review.submit_text(CONTRIB, "Exchange offices", BODY)
    review.request_changes(EDITOR, sub.article_id, "Sources?")
    review.resubmit(CONTRIB, sub.article_id, "Exchange offices", BODY + " Two sources.")
    review.publish(EDITOR, sub.article_id)
    with db.read() as conn:
        entries = AuditLog(conn).for_object("article", sub.article_id)
    assert [(e.actor, e.action) for e in entries] == [
        ("co@example.org", "article.submit"),
        ("ed@example.org", "article.request_changes"),
        ("co@example.org", "article.resubmit"),
        ("ed@example.org", "article.publish"),
    ]
    assert entries[1].before == {"status": "draft", "revision": 1}
    assert entries[1].after == {"status": "changes_requested", "revision": 1, "comment": "Sources?"}
    assert entries[2].before == {"status": "changes_requested", "revision": 1}
    assert entries[2].after == {"status": "draft", "revision": 2}
    assert entries[3].after is not None and entries[3].after["status"] == "published"


def test_soft_delete_hides_and_admin_restores(db: Database, review: ReviewService) -> None:
    sub = review.submit_text(CONTRIB, "Exchange offices", BODY)
    review.publish(EDITOR, sub.article_id)
    deletion = DeletionService(db)
    deletion.delete(EDITOR, sub.article_id)
    gone = public_sees(db, sub.article_id, "zebrafinch")
    assert gone == dict.fromkeys(gone, False)
    with pytest.raises(ArticleNotFound):
        visible_article(db, EDITOR, sub.article_id)
    with pytest.raises(PermissionDenied):
        deletion.restore(EDITOR, sub.article_id)
    with pytest.raises(ValueError, match="already deleted"):
        deletion.delete(EDITOR, sub.article_id)
    deletion.restore(ADMIN, sub.article_id)
    back = public_sees(db, sub.article_id, "zebrafinch")
    assert back == dict.fromkeys(back, True)
    assert len(get_article(db, sub.article_id).revisions) == 1
    with db.read() as conn:
        entries = AuditLog(conn).for_object("article", sub.article_id)
    assert [e.action for e in entries][-2:] == ["article.delete", "article.restore"]
    assert entries[-1].after == {"deleted_at": None}
    assert entries[-1].before is not None and entries[-1].before["deleted_at"] is not None
    with pytest.raises(ArticleNotFound):
        deletion.delete(EDITOR, "0000000000000000")
    draft = review.submit_text(CONTRIB, "Second", "Another zebrafinch draft.")
    deletion.delete(EDITOR, draft.article_id)
    assert review.queue(EDITOR) == []
    with pytest.raises(ReviewError, match="deleted"):
        review.publish(EDITOR, draft.article_id)


def test_history_shows_revisions_to_all_and_audit_only_to_editors(
    db: Database, review: ReviewService
) -> None:
    sub = review.submit_text(CONTRIB, "Exchange offices", BODY)
    review.request_changes(EDITOR, sub.article_id, "Sources?")
    review.resubmit(CONTRIB, sub.article_id, "Exchange offices", BODY + " Two sources.")
    review.publish(EDITOR, sub.article_id)
    public = article_history(db, ANON, sub.article_id)
    assert [r.number for r in public.revisions] == [1, 2]
    assert public.audit == [] and public.comments == []
    own = article_history(db, CONTRIB, sub.article_id)
    assert [(c.action, c.comment) for c in own.comments] == [
        ("request_changes", "Sources?"),
        ("publish", ""),
    ]
    assert own.audit == []
    editor = article_history(db, EDITOR, sub.article_id)
    assert len(editor.audit) == 4
    assert [r.created_by for r in editor.revisions] == ["co@example.org", "co@example.org"]


def _draft(title: str, body: str, key: str):  # type: ignore[no-untyped-def]
    from kartoteka.model import ArticleDraft

    return ArticleDraft(title=title, body=body, source=key, source_key=key)


def test_an_upload_matching_a_placeholder_stays_a_draft_until_published(
    db: Database, review: ReviewService
) -> None:
    """Issue 14, defect 1: a matching upload used to revise the public placeholder."""
    import_catalog(db, QUIRKS.read_text(encoding="utf-8"))
    catalog = build_catalog(db).as_dict()
    kla_id = catalog["countries"][0]["entries"][1]["article_ids"][0]
    upload = (
        "---\nauthor: '@balkan_archive'\nurl: https://example.org/kla\n---\n"
        f"# Kosovo Liberation Army\n\n{BODY}\n"
    ).encode()

    result = review.submit_file(CONTRIB, "kla.md", upload)

    [submitted] = result.submissions
    assert submitted.article_id != kla_id
    assert visible_article(db, CONTRIB, submitted.article_id).status is ArticleStatus.DRAFT
    assert public_sees(db, kla_id, "zebrafinch")["search"] is False
    assert BODY not in get_article(db, kla_id, include_unpublished=False).article.body

    published = review.publish(EDITOR, submitted.article_id)

    assert published.id == kla_id and published.body == BODY
    assert public_sees(db, kla_id, "zebrafinch")["search"] is True
    with pytest.raises(ArticleNotFound):  # the submission itself is not a second copy
        visible_article(db, ANON, submitted.article_id)
    with db.read() as conn:
        actions = [e.action for e in AuditLog(conn).for_object("article", submitted.article_id)]
    assert "article.fill_placeholder" in actions


def test_uploads_sharing_a_file_name_fill_only_the_placeholder_they_match(
    db: Database, review: ReviewService
) -> None:
    import_catalog(db, QUIRKS.read_text(encoding="utf-8"))
    catalog = build_catalog(db).as_dict()
    zetas_id = catalog["countries"][1]["entries"][0]["article_ids"][0]
    first = review.submit_file(CONTRIB, "note.md", (
        f"---\nauthor: @cartel_watch\n---\n# Los Zetas (part 2)\n\n{BODY}\n"
    ).encode()).submissions[0]
    assert review.publish(EDITOR, first.article_id).id == zetas_id

    # Another contributor's file of the same name, about something else entirely.
    second = review.submit_file(
        OTHER, "note.md", b"# Harbour cranes\n\nThe harbour cranes of Bar were repainted in May.\n"
    ).submissions[0]
    published = review.publish(EDITOR, second.article_id)

    assert published.id == second.article_id
    assert visible_article(db, ANON, zetas_id).body == BODY
