from __future__ import annotations

from vigil.demo import DEMO_USERS
from vigil.domain.enums import UserRole


def test_one_demo_user_per_role() -> None:
    assert {role for _, role, _ in DEMO_USERS} == set(UserRole)
    names = [username for username, _, _ in DEMO_USERS]
    assert names == [
        "officer",
        "sergeant",
        "investigator",
        "analyst",
        "panel",
        "safeguarding",
        "admin",
    ]
    assert dict((u, r) for u, r, _ in DEMO_USERS)["sergeant"] is UserRole.REVIEWING_OFFICER
