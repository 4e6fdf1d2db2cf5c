from __future__ import annotations

import pytest

from kartoteka.auth.roles import PERMISSIONS, Action, Actor, PermissionDenied, Role, can, lower_role

A, R, C, E, D = None, Role.READER, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN
ROLES: list[Role | None] = [A, R, C, E, D]

# Written out by hand, independently of PERMISSIONS: who may do what.
EXPECTED: dict[Action, set[Role | None]] = {
    Action.READ_PUBLISHED: {A, R, C, E, D},
    Action.MANAGE_OWN_TOKENS: {R, C, E, D},
    Action.SUBMIT: {C, E, D},
    Action.READ_DRAFTS: {E, D},
    Action.REVIEW: {E, D},
    Action.PUBLISH: {E, D},
    Action.EDIT_ARTICLES: {E, D},
    Action.DELETE_ARTICLES: {E, D},
    Action.EDIT_REGISTRY: {E, D},
    Action.JUDGE_ENTITIES: {E, D},
    Action.RESTORE_DELETED: {D},
    Action.MANAGE_USERS: {D},
    Action.DECIDE_JOIN_REQUESTS: {D},
    Action.READ_AUDIT_LOG: {D},
    Action.BACKUP: {D},
    Action.MANAGE_SOURCES: {D},
    Action.MANAGE_JOBS: {D},
    Action.MERGE_AUTHORS: {D},
}


def test_every_action_is_in_the_table_and_the_expectation() -> None:
    assert set(PERMISSIONS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r or "anonymous"))
def test_role_matrix(role: Role | None, action: Action) -> None:
    assert can(role, action) is (role in EXPECTED[action])


def test_roles_are_ordered_and_tokens_take_the_weaker() -> None:
    assert [r.rank for r in (R, C, E, D)] == [0, 1, 2, 3]
    assert E.at_least(C) and not C.at_least(E)
    assert lower_role(D, C) is C and lower_role(R, E) is R


def test_parse_names_the_valid_roles() -> None:
    assert Role.parse(" Editor ") is Role.EDITOR
    with pytest.raises(ValueError, match="reader, contributor, editor, admin"):
        Role.parse("superuser")


def test_require_says_who_and_what_is_needed() -> None:
    actor = Actor("a@example.org", Role.CONTRIBUTOR, 1)
    actor.require(Action.SUBMIT)
    with pytest.raises(PermissionDenied, match=r"a@example.org \(contributor\).*editor role"):
        actor.require(Action.PUBLISH)
    with pytest.raises(PermissionDenied, match="anonymous"):
        Actor.anonymous().require(Action.SUBMIT)
