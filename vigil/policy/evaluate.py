"""Evaluating a case against a pack, and checking a category decision before it is recorded."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from vigil.domain.case import CaseView
from vigil.domain.enums import Category, UserRole
from vigil.domain.errors import DomainError
from vigil.domain.investigation import CategoryDecision
from vigil.policy.conditions import Condition, InSeries, parts
from vigil.policy.facts import CaseFacts, read_facts
from vigil.policy.lists import LISTS, ListSpec, select
from vigil.policy.model import ChecklistRule, PanelRule, PolicyPack
from vigil.policy.panel import referral_needed
from vigil.policy.result import Evaluation, FloorReason, UnmetItem
from vigil.policy.scope import ForEachItem, Scope, quote
from vigil.policy.wording import a_role, vocabulary


def _scope(
    pack: PolicyPack, case: CaseView, now: datetime, case_facts: CaseFacts | None = None
) -> Scope:
    if now.tzinfo is None:
        raise ValueError("now needs a time zone (for example datetime.now(UTC))")
    return Scope(
        case=case,
        now=now,
        facts=read_facts(case.report, case_facts, now),
        signoff_roles=pack.signoff_roles,
        signoff_below_floor_only=pack.signoff_required == "below_floor",
        family_roles=pack.family_relationships,
    )


def _highest(categories: list[Category]) -> Category:
    return max(categories, key=lambda c: c.rank, default=Category.EXPECTED)


def _floor(pack: PolicyPack, scope: Scope) -> tuple[Category, tuple[FloorReason, ...]]:
    fired = []
    for rule in pack.floor:
        outcome = rule.when.check(scope)
        if outcome.ok:
            fired.append(
                FloorReason(
                    rule_id=rule.id,
                    category=rule.category,
                    reason=rule.reason,
                    evidence=outcome.why,
                )
            )
    return _highest([r.category for r in fired]), tuple(fired)


def floor_of(
    pack: PolicyPack, case: CaseView, now: datetime
) -> tuple[Category, tuple[FloorReason, ...]]:
    """The lowest category the facts allow without an override, and every rule that fired."""
    return _floor(pack, _scope(pack, case, now))


def _overridden(decision: CategoryDecision | None) -> bool:
    return bool(decision and decision.override_by and (decision.override_reason or "").strip())


def _about_series(condition: Condition) -> bool:
    return isinstance(condition, InSeries) or any(_about_series(c) for _, c in parts(condition))


def _before_series(
    pack: PolicyPack, case: CaseView, category: Category, fired: tuple[FloorReason, ...]
) -> bool:
    """The decision in force was made before the case's series was last confirmed, and a
    floor rule about series puts its category below the floor: an override given then did not
    weigh the series, so the category comes back to the reviewing officer."""
    decision, series = case.decision, case.series
    if decision is None or series is None or decision.decided_at >= series.confirmed_at:
        return False
    ids = {r.rule_id for r in fired if r.category.rank > category.rank}
    return any(_about_series(rule.when) for rule in pack.floor if rule.id in ids)


def _deadline(
    rule: ChecklistRule | PanelRule, scope: Scope, each: ForEachItem | None
) -> datetime | None:
    report, decision, series = scope.case.report, scope.case.decision, scope.case.series
    reported = report.reported_at or scope.case.opened_at
    over = rule.for_each if isinstance(rule, ChecklistRule) else None
    spec: ListSpec[object] | None = LISTS[over.in_] if over else None
    if rule.anchor == "item_deadline":
        own = spec.deadline(each.item) if spec and spec.deadline and each else None
        return own + (rule.deadline or timedelta()) if own else None
    if rule.anchor == "item" and spec and each:
        base = spec.time(each.item) or reported
    elif rule.anchor == "found_at":
        base = report.found_at
    elif rule.anchor == "decided_at":
        base = decision.decided_at if decision else None
    elif rule.anchor == "series_confirmed":
        base = series.confirmed_at if series else None
    elif rule.anchor == "portal_concern":
        base = scope.case.portal_concern_since
    else:
        base = reported
    return base + rule.deadline if base and rule.deadline else None


def _unmet(
    rule: ChecklistRule | PanelRule,
    scope: Scope,
    words: tuple[str, str, str],
    each: ForEachItem | None,
) -> UnmetItem:
    title, why, reason = words
    deadline = _deadline(rule, scope, each)
    return UnmetItem(
        rule_id=rule.id,
        title=title,
        rule=why,
        reason=reason,
        owner_role=rule.owner_role,
        deadline=deadline,
        subject=each.ref if each else None,
        overdue=deadline is not None and deadline < scope.now,
    )


def _checklist(pack: PolicyPack, scope: Scope) -> tuple[UnmetItem, ...]:
    unmet: list[UnmetItem] = []
    for rule in pack.checklist:
        if rule.applies_when is not None and not rule.applies_when.check(scope).ok:
            continue
        if rule.for_each is None:
            outcome = rule.satisfied_when.check(scope)
            if not outcome.ok:
                unmet.append(_unmet(rule, scope, (rule.title, rule.rule, outcome.why), None))
            continue
        spec = LISTS[rule.for_each.in_]
        for item in select(spec, rule.for_each.where, scope):
            each = ForEachItem(rule.for_each.in_, item, spec.ref(item), spec.label(item, scope))
            outcome = rule.satisfied_when.check(scope.with_each(each))
            if not outcome.ok:
                unmet.append(_unmet(rule, scope, (rule.title, rule.rule, outcome.why), each))
    for panel in pack.panel_referral:
        needed = referral_needed(panel, scope)
        if needed is not None:
            words = (needed.title, needed.rule, needed.reason)
            unmet.append(_unmet(panel, scope, words, None))
    return tuple(unmet)


def evaluate(
    pack: PolicyPack, case: CaseView, now: datetime, case_facts: CaseFacts | None = None
) -> Evaluation:
    """The case against the pack at ``now``: floor, category in force, and unmet items
    (the checklist's, then the panel referrals the pack requires). ``case_facts`` are the facts
    of the case's handling that the CaseView does not carry (none given: none recorded)."""
    scope = _scope(pack, case, now, case_facts)
    floor, reasons = _floor(pack, scope)
    decision = case.decision
    if decision is None:
        category = _highest([pack.presumption, floor])
        rationale = (
            f"No category decision is recorded, so the death is treated as "
            f"{category.label.lower()} until the investigation establishes otherwise"
        )
        if category is not pack.presumption:
            rationale += (
                f" (the floor is above the pack's presumption, {pack.presumption.label.lower()})"
            )
    else:
        category, rationale = decision.category, decision.rationale
    below = category.rank < floor.rank
    stale = below and _before_series(pack, case, category, reasons)
    scope = dataclasses.replace(
        scope,
        floor=floor,
        category=_highest([category, floor]),
        override_before_series=stale,
    )
    return Evaluation(
        pack_name=pack.name,
        pack_version=pack.version,
        case_reference=case.reference,
        evaluated_at=now,
        floor=floor,
        floor_reasons=reasons,
        category=category,
        category_rationale=rationale,
        presumed=decision is None,
        decided_by=decision.decided_by if decision else None,
        decided_at=decision.decided_at if decision else None,
        override_by=decision.override_by if decision else None,
        override_reason=decision.override_reason if decision else None,
        below_floor=below,
        needs_override=below and (stale or not _overridden(decision)),
        unmet=_checklist(pack, scope),
    )


def check_decision(
    pack: PolicyPack,
    case: CaseView,
    category: Category,
    *,
    override_by_role: UserRole | None,
    override_reason: str | None,
    now: datetime,
) -> None:
    """DomainError unless ``category`` may be recorded: it is at or above the floor, or one of
    the pack's supervisor roles overrides the floor with a reason."""
    floor, reasons = floor_of(pack, case, now)
    if category.rank >= floor.rank:
        return
    supervisors = " or ".join(sorted(vocabulary(role) for role in pack.supervisor_roles))
    if override_by_role is None:
        why = "; ".join(f"{r.reason} ({r.evidence})" for r in reasons)
        raise DomainError(
            "category",
            f"{quote(category.label.lower())} is below this case's floor "
            f"{quote(floor.label.lower())}: {why}. "
            f"Only a {supervisors} can record it, as an override with a reason",
        )
    if override_by_role not in pack.supervisor_roles:
        raise DomainError(
            "override_by",
            f"{a_role(override_by_role)} cannot override the floor; a {supervisors} must",
        )
    if not (override_reason or "").strip():
        raise DomainError("override_reason", "an override below the floor needs a reason")
