"""Category decisions: append-only, and never below the floor without a supervisor's override."""

from __future__ import annotations

from datetime import datetime

from vigil.domain.enums import UserRole
from vigil.domain.errors import DomainError
from vigil.domain.investigation import CategoryDecision
from vigil.policy import check_decision
from vigil.records import models as m
from vigil.records.mapping import decision_row
from vigil.records.queries import load_view
from vigil.services.errors import Invalid
from vigil.services.policy import current_pack


def role_of(username: str | None) -> UserRole | None:
    if not username:
        return None
    role = m.Profile.objects.filter(user__username=username).values_list("role", flat=True).first()
    return UserRole(role) if role else None


def add_decision(case: m.Case, decision: CategoryDecision, now: datetime) -> bool:
    """Append the decision unless the same one is recorded; False if it was."""
    if m.CategoryDecision.objects.filter(
        case=case,
        category=decision.category.value,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by,
    ).exists():
        return False
    # Judged on the facts known when the decision was made.
    view = load_view(case, min(decision.decided_at, now))
    override_role = role_of(decision.override_by) if decision.override_by else None
    if decision.override_by and override_role is None:
        raise Invalid("override_by", f"'{decision.override_by}' is not a Vigil user")
    try:
        check_decision(
            current_pack(),
            view,
            decision.category,
            override_by_role=override_role,
            override_reason=decision.override_reason,
            now=decision.decided_at,
        )
    except DomainError as exc:
        raise Invalid.from_domain(exc) from None
    decision_row(case, decision).save()
    return True
