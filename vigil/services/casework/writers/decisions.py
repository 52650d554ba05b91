"""Category decisions: append-only, and never below the floor without a supervisor's override.

A decision made in Vigil (``add_decision``) is its maker's: below the floor it needs the
override of a user in one of the pack's supervisor roles, as ``decide_category`` records it.
A decision read from an import file was made elsewhere, by people Vigil cannot vouch for, so it
is recorded **as imported** (``as_imported``): decided by ``import:<importer>``, with who
imported it, from which file and line, and what the file said (who decided, who overrode the
floor and why) in its rationale; it is never attributed to a Vigil user and never counts as a
supervisor's override. A case an imported decision leaves below the floor therefore waits in
the review queue for a supervisor to sign it off in Vigil.
"""

from __future__ import annotations

from datetime import datetime

from vigil.domain import kinds, limits
from vigil.domain.enums import RecordKind, UserRole
from vigil.domain.errors import DomainError
from vigil.domain.investigation import CategoryDecision
from vigil.policy import check_decision
from vigil.records import models as m
from vigil.records.mapping import decision_row
from vigil.records.queries import load_view
from vigil.services.casework.policy import current_pack
from vigil.services.errors import Invalid


def role_of(username: str | None) -> UserRole | None:
    if not username:
        return None
    role = m.Profile.objects.filter(user__username=username).values_list("role", flat=True).first()
    return UserRole(role) if role else None


IMPORTED = "import:"
"""How ``decided_by`` begins on an imported decision: ``import:<the importer's name>``."""


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def as_imported(decision: CategoryDecision, importer: str, source: str) -> CategoryDecision:
    """The decision of an import file as the store records it: decided by
    ``import:<importer>``, with no override; ``source`` (the file and line) and what the file
    said of who decided and who overrode the floor are kept in words in the rationale."""
    said = f"decided by {decision.decided_by}"
    if decision.override_by:
        reason = (decision.override_reason or "").strip() or "no reason given"
        said += f", the floor overridden by {decision.override_by} ({_clip(reason, 1000)})"
    note = (
        f"\n\n[Imported by {importer} from {_clip(source, 300)}. The file says: {said}. "
        "An imported decision is no sign-off: below the floor it needs a supervisor's "
        "override in Vigil.]"
    )
    rationale = _clip(decision.rationale, limits.NOTE - len(note)) + note
    return decision.model_copy(
        update={
            "decided_by": f"{IMPORTED}{importer}"[: limits.USERNAME],
            "override_by": None,
            "override_reason": None,
            "rationale": rationale,
        }
    )


def deaths_only(kind: object) -> None:
    """Refuse a category for a record that is not a death (field ``category``): categories,
    the floor and the checklist are about deaths (``vigil.domain.kinds``)."""
    if kinds.kind_of(kind) is not RecordKind.DEATH:
        raise Invalid(
            "category", f"{kinds.a_kind(kind)} has no category; categories are for deaths"
        )


def _recorded(case: m.Case, decision: CategoryDecision) -> bool:
    return m.CategoryDecision.objects.filter(
        case=case,
        category=decision.category.value,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by,
    ).exists()


def add_imported(case: m.Case, decision: CategoryDecision) -> bool:
    """Append an imported decision (made by ``as_imported``) unless the same one is recorded;
    False if it was. It is not judged against the floor: it overrides nothing, so a case it
    leaves below the floor needs a supervisor's override, as the review queue shows."""
    if not decision.decided_by.startswith(IMPORTED) or decision.override_by:
        raise ValueError("an imported decision is recorded as imported (as_imported)")
    deaths_only(case.kind)
    if _recorded(case, decision):
        return False
    decision_row(case, decision).save()
    return True


def add_decision(case: m.Case, decision: CategoryDecision, now: datetime) -> bool:
    """Append a decision made in Vigil unless the same one is recorded; False if it was. A
    record that is not a death has no category (``deaths_only``)."""
    deaths_only(case.kind)
    if _recorded(case, decision):
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
