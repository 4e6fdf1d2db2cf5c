"""The admin area's authors page: merging two identities of one outlet, previewed,
confirmed with the CSRF token, refused to anyone but an admin (issue 17)."""

from __future__ import annotations

import pytest

from kartoteka.services.authors import list_authors
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from tests.conftest import TwoAuthors
from tests.web.accounts_support import Site, csrf_in


@pytest.fixture
def site(db: Database, two_authors: TwoAuthors) -> Site:
    return Site(db)


def _counts(db: Database) -> dict[str, int]:
    return {s.author.handle: s.articles for s in list_authors(db, with_articles_only=False)}


def test_an_admin_previews_then_merges(site: Site, db: Database) -> None:
    reader = site.client()
    assert "@sahel_old" in reader.get("/authors").text  # and now the page is cached
    assert '<a href="/authors">2</a>' in reader.get("/").text
    client, _ = site.signed_in("admin")
    page = client.get("/admin/authors")
    assert page.status_code == 200
    assert '<select id="f-source" name="source"' in page.text
    preview = client.get("/admin/authors/merge",
                         params={"source": "@sahel_old", "target": "sahel_monitor"})
    assert preview.status_code == 200
    assert "Merge @sahel_old into @sahel_monitor?" in preview.text
    assert "2 articles move to @sahel_monitor, with 2 revisions." in preview.text
    assert _counts(db) == {"@sahel_old": 2, "@sahel_monitor": 1}  # a preview changes nothing

    token = csrf_in(preview.text)
    source = preview.text.split('name="source" value="')[1].split('"')[0]
    target = preview.text.split('name="target" value="')[1].split('"')[0]
    no_token = client.post("/admin/authors/merge", data={"source": source, "target": target},
                           follow_redirects=False)
    assert no_token.status_code == 403
    done = client.post("/admin/authors/merge",
                       data={"csrf_token": token, "source": source, "target": target},
                       follow_redirects=False)
    assert done.status_code == 303
    after = client.get(done.headers["location"]).text
    assert "The authors are merged" in after
    assert "@sahel_old, Sahel Monitor (old)" in after  # the aliases column
    assert _counts(db) == {"@sahel_monitor": 3}
    moved = reader.get("/authors/@sahel_old", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (308, "/authors/@sahel_monitor")
    public = reader.get("/authors").text  # the cached page is stale no more
    assert "@sahel_old" not in public and "3 articles" in public
    home = reader.get("/").text.split("Authors and channels")[1]
    assert '<a href="/authors">1</a>' in home  # the count the CLI's `authors` prints
    with db.read() as conn:
        [entry] = AuditLog(conn).for_object("author", "@sahel_monitor")
    assert (entry.actor, entry.action) == ("admin@example.org", "author.merge")


def test_mistakes_are_shown_beside_the_field(site: Site) -> None:
    client, _ = site.signed_in("admin")
    missing = client.get("/admin/authors/merge", params={"source": "@nobody",
                                                         "target": "@sahel_monitor"})
    assert missing.status_code == 422
    assert 'id="f-source-error"' in missing.text and "@nobody" in missing.text
    same = client.get("/admin/authors/merge", params={"source": "@sahel_monitor",
                                                      "target": "sahel_monitor"})
    assert same.status_code == 422 and "same author" in same.text


@pytest.mark.parametrize("role", ["editor", "contributor", "reader"])
def test_anyone_but_an_admin_is_refused(site: Site, db: Database, role: str) -> None:
    client, token = site.signed_in(role)
    assert client.get("/admin/authors").status_code == 403
    assert client.get("/admin/authors/merge",
                      params={"source": "@sahel_old", "target": "@sahel_monitor"}
                      ).status_code == 403
    refused = client.post("/admin/authors/merge", data={
        "csrf_token": token, "source": "@sahel_old", "target": "@sahel_monitor"})
    assert refused.status_code == 403
    assert _counts(db) == {"@sahel_old": 2, "@sahel_monitor": 1}
