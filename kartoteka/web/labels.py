"""Words a reader understands in place of codes: languages, catalog entry kinds, states.

Stored codes (a status, a role, a review action) stay English in the
database and the API; ``word`` shows them in the page's language.  A
language is named as its own speakers write it ("Русский"), from the ISO
639 translations that ship inside pycountry, so a Russian reader finds
Russian without knowing the code ``ru``; English names are the fallback.
"""

from __future__ import annotations

import gettext as gnu
import re
from functools import lru_cache

import pycountry

from kartoteka.i18n import N_, current_language, gettext
from kartoteka.i18n.ftm import ftm_schema_label

ENTRY_KIND_LABELS = {
    "organization": (N_("organisation"), N_("An organisation the catalog lists")),
    "person": (N_("person"), N_("A person the catalog lists")),
    "article": (N_("article"), N_("An article the catalog lists on its own")),
}

# Codes pages show as words: article states, review actions, roles, author kinds,
# join request states, one-time link kinds, mention roles, watched sources' states
# and kinds, queue jobs' states.
WORDS = {
    "published": N_("published"),
    "draft": N_("draft"),
    "changes_requested": N_("changes requested"),
    "rejected": N_("rejected"),
    "deleted": N_("deleted"),
    "publish": N_("publish"),
    "request_changes": N_("request changes"),
    "reject": N_("reject"),
    "reader": N_("reader"),
    "contributor": N_("contributor"),
    "editor": N_("editor"),
    "admin": N_("admin"),
    "person": N_("person"),
    "channel": N_("channel"),
    "site": N_("site"),
    "pending": N_("pending"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "invitation": N_("invitation"),
    "password_reset": N_("password reset"),
    "password reset": N_("password reset"),
    "subject": N_("subject"),
    "mentioned": N_("mentioned"),
    "country": N_("country"),
    "entity": N_("entity"),
    # What a role may do (the refusal names the action it lacks).
    "read_published": N_("read published"),
    "manage_own_tokens": N_("manage own tokens"),
    "submit": N_("submit"),
    "read_drafts": N_("read drafts"),
    "review": N_("review"),
    "edit_articles": N_("edit articles"),
    "delete_articles": N_("delete articles"),
    "edit_registry": N_("edit registry"),
    "judge_entities": N_("judge entities"),
    "restore_deleted": N_("restore deleted"),
    "manage_users": N_("manage users"),
    "decide_join_requests": N_("decide join requests"),
    "read_audit_log": N_("read audit log"),
    "backup": N_("backup"),
    "manage_sources": N_("manage sources"),
    "manage_jobs": N_("manage jobs"),
    "merge_authors": N_("merge authors"),
    # Watched sources: their state and what the first fetch found.
    "new": N_("new"),
    "ok": N_("ok"),
    "failing": N_("failing"),
    "unknown": N_("unknown"),
    "feed": N_("feed"),
    "page": N_("page"),
    # Queue jobs' states (procrastinate's).
    "todo": N_("todo"),
    "doing": N_("doing"),
    "succeeded": N_("succeeded"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
    "aborting": N_("aborting"),
    "aborted": N_("aborted"),
}


def word(code: object) -> str:
    """A stored code (an enum or its value) in the page's language; unknown codes as words."""
    value = str(getattr(code, "value", code) or "")
    known = WORDS.get(value)
    return gettext(known) if known else value.replace("_", " ")


@lru_cache(maxsize=256)
def language_name(code: str | None) -> str:
    """The language's own name, capitalised; its English name; else the code as given."""
    if not code:
        return ""
    found = pycountry.languages.get(alpha_2=code.lower()) if len(code) == 2 else None
    if found is None:
        return code
    english: str = found.name
    try:
        own = gnu.translation("iso639-3", pycountry.LOCALES_DIR, languages=[code.lower()])
    except OSError:
        return english
    native = own.gettext(english)
    return native[:1].upper() + native[1:]


SCHEMA_LABELS = {
    "Person": N_("Person"), "Organization": N_("Organisation"), "Company": N_("Company"),
    "LegalEntity": N_("Legal entity"), "PublicBody": N_("Public body"), "Address": N_("Place"),
    "UserAccount": N_("Channel or account"), "Territory": N_("Territory"),
}


def schema_label(schema: str) -> str:
    """Our words for the common schemata; FtM's own label (and its translation) for the rest."""
    ours = SCHEMA_LABELS.get(schema)
    return gettext(ours) if ours else ftm_schema_label(schema, current_language())


def entry_kind(kind: str) -> tuple[str, str]:
    """(label, explanation) of a catalog entry's kind, in the page's language."""
    label, explanation = ENTRY_KIND_LABELS.get(kind, (kind, ""))
    return (gettext(label), gettext(explanation)) if explanation else (label, "")


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")


def role_label(role: str | None) -> str:
    """A relation's role as words: registry files often hold slugs ("merged-into").

    Only a whole slug is rewritten; a role written as words ("self-styled
    leader") keeps its hyphen."""
    role = (role or "").strip()
    return re.sub(r"[-_]", " ", role) if _SLUG.fullmatch(role) else role
