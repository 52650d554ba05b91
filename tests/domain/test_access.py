"""The role table: what each role may do, and its documentation matching the data."""

from __future__ import annotations

import pytest

from vigil.domain import access
from vigil.domain.access import ROLE_PERMISSIONS, Permission, allows, permissions_of
from vigil.domain.enums import UserRole

R = UserRole
P = Permission

# (role, permission, allowed): the expectations the table must meet.
CASES = [
    (R.RESPONSE_OFFICER, P.RECORD_CASE, True),
    (R.RESPONSE_OFFICER, P.INVESTIGATE, True),
    (R.RESPONSE_OFFICER, P.ANSWER_ALERT, False),
    (R.RESPONSE_OFFICER, P.EXPORT, False),
    (R.RESPONSE_OFFICER, P.SEE_SENSITIVE, False),
    (R.RESPONSE_OFFICER, P.RESTRICT_CASE, False),
    (R.REVIEWING_OFFICER, P.CATEGORISE, True),
    (R.REVIEWING_OFFICER, P.ANSWER_ALERT, True),
    (R.REVIEWING_OFFICER, P.RESTRICT_CASE, True),
    (R.REVIEWING_OFFICER, P.SEE_SENSITIVE, True),
    (R.REVIEWING_OFFICER, P.MANAGE_USERS, False),
    (R.INVESTIGATOR, P.INVESTIGATE, True),
    (R.INVESTIGATOR, P.ANSWER_REFERRAL, True),
    (R.INVESTIGATOR, P.ANSWER_ALERT, False),
    (R.INVESTIGATOR, P.SEE_SENSITIVE, True),
    (R.ANALYST, P.VIEW_ALERTS, True),
    (R.ANALYST, P.ANSWER_ALERT, True),
    (R.ANALYST, P.VIEW_SERIES, True),
    (R.ANALYST, P.RECORD_CASE, False),
    (R.ANALYST, P.SEE_SENSITIVE, False),
    (R.PANEL_MEMBER, P.VIEW_CASE, True),
    (R.PANEL_MEMBER, P.VIEW_SERIES, True),
    (R.PANEL_MEMBER, P.SEE_IDENTITIES, False),
    (R.PANEL_MEMBER, P.EXPORT, False),
    (R.ADMINISTRATOR, P.MANAGE_USERS, True),
    (R.ADMINISTRATOR, P.IMPORT, True),
    (R.ADMINISTRATOR, P.RECORD_CASE, False),
    (R.ADMINISTRATOR, P.ANSWER_ALERT, False),
    (R.ADMINISTRATOR, P.SEE_SENSITIVE, False),
    (R.ADMINISTRATOR, P.READ_AUDIT, True),
    (R.REVIEWING_OFFICER, P.READ_AUDIT, True),
    (R.RESPONSE_OFFICER, P.READ_AUDIT, False),
    (R.INVESTIGATOR, P.READ_AUDIT, False),
    (R.ANALYST, P.READ_AUDIT, False),
    (R.PANEL_MEMBER, P.READ_AUDIT, False),
    (R.SAFEGUARDING_OFFICER, P.TRIAGE_REPORTS, True),
    (R.SAFEGUARDING_OFFICER, P.CATEGORISE, False),
    (R.SAFEGUARDING_OFFICER, P.SEE_SENSITIVE, True),
    (R.REVIEWING_OFFICER, P.TRIAGE_REPORTS, False),
    (R.REVIEWING_OFFICER, P.VIEW_OVERSIGHT, True),
    (R.PANEL_MEMBER, P.VIEW_OVERSIGHT, True),
    (R.RESPONSE_OFFICER, P.VIEW_OVERSIGHT, False),
]

WRITES = {
    P.RECORD_CASE,
    P.CATEGORISE,
    P.INVESTIGATE,
    P.ANSWER_REFERRAL,
    P.ANSWER_ALERT,
    P.IMPORT,
    P.RELINK,
    P.RESTRICT_CASE,
    P.MANAGE_USERS,
}


@pytest.mark.parametrize(("role", "permission", "allowed"), CASES)
def test_the_table(role, permission, allowed):
    assert allows(role, permission) is allowed


def test_every_role_is_in_the_table_and_may_view_cases():
    assert set(ROLE_PERMISSIONS) == set(UserRole)
    assert all(P.VIEW_CASE in permissions_of(role) for role in UserRole)


def test_the_panel_is_read_only_and_redacted():
    assert not permissions_of(R.PANEL_MEMBER) & WRITES
    assert not permissions_of(R.PANEL_MEMBER) & {P.SEE_IDENTITIES, P.SEE_SENSITIVE}


def test_every_permission_is_worded_and_some_role_has_it():
    for permission in Permission:
        assert permission.words
        assert any(allows(role, permission) for role in UserRole), permission


def test_the_documented_table_is_the_data():
    """The module's docstring shows the table; it must say exactly what the data says."""
    columns = [
        R.RESPONSE_OFFICER,
        R.REVIEWING_OFFICER,
        R.INVESTIGATOR,
        R.ANALYST,
        R.PANEL_MEMBER,
        R.ADMINISTRATOR,
        R.SAFEGUARDING_OFFICER,
    ]
    rows = [
        line
        for line in (access.__doc__ or "").splitlines()
        if line.startswith("| ") and not line.startswith("| permission")
    ]
    documented = {}
    for line in rows:
        name, *marks = [cell.strip() for cell in line.strip("|").split("|")]
        documented[Permission(name)] = {
            role for role, mark in zip(columns, marks, strict=True) if mark
        }
    assert set(documented) == set(Permission)
    for permission, roles in documented.items():
        assert roles == {role for role in UserRole if allows(role, permission)}, permission
