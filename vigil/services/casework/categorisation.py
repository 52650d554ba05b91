"""Deciding a case's category: a rationale always; below the floor, a supervisor's override.

The decision and any override are always the actor's own. An import cannot record one for
anyone: a decision read from a file is recorded as imported and is no sign-off
(``vigil.services.casework.writers.decisions.as_imported``), so a case it leaves below the floor
comes
here, to a supervisor."""

from __future__ import annotations

from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category
from vigil.domain.investigation import CategoryDecision
from vigil.services.casework.policy import current_pack
from vigil.services.casework.unit import CaseState, changing, finish
from vigil.services.casework.writers.decisions import add_decision, deaths_only
from vigil.services.errors import Invalid


def decide_category(
    actor: Actor,
    reference: str,
    category: Category,
    rationale: str,
    *,
    override_reason: str | None = None,
    expected_version: int | None = None,
) -> CaseState:
    """Record the category. If it is below the floor the policy computes from the facts, the
    actor must be a supervisor and give ``override_reason``: the override is theirs, recorded."""
    if not rationale or not rationale.strip():
        raise Invalid("rationale", "a category decision needs a rationale")
    with changing(actor, Permission.CATEGORISE, reference, expected_version) as (case, now):
        deaths_only(case.kind)  # no other kind of record has a category
        decision = CategoryDecision(
            category=category,
            rationale=rationale,
            decided_by=actor.username,
            decided_at=now,
            override_by=actor.username if override_reason else None,
            override_reason=override_reason or None,
        )
        try:
            add_decision(case, decision, now)
        except Invalid as exc:
            # A supervisor below the floor without a reason: what is missing is the reason.
            supervisor = actor.role in current_pack().supervisor_roles
            if exc.field == "category" and supervisor and not override_reason:
                raise Invalid(
                    "override_reason", "a category below the floor needs a reason for the override"
                ) from None
            raise
        payload = {
            "category": category.value,
            "rationale": rationale,
            "override_reason": override_reason,
        }
        return finish(case, actor, Event.CATEGORY_DECIDED, payload, now)
