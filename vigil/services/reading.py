"""Consulting cases. Every view and every list is audited as a consultation; every reader
starts from ``visible_cases`` (need-to-know) and masks what the reader's role may not see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access import require, use_case, visible_case, visible_cases
from vigil.services.clock import utcnow
from vigil.services.masking import case_redactor, name_search, shown_name
from vigil.services.unit import CaseState, shown, state_of


def view_case(
    actor: Actor, reference: str, *, face: str, as_of: datetime | None = None
) -> CaseState:
    """The case (as it stands, or as it stood at ``as_of``) with its evaluation, masked for
    the actor's role; audited. A restricted case the actor is not named on is not found."""
    require(actor, Permission.VIEW_CASE)
    with use_case(actor):  # a hidden or missing case is audited as a probe
        return consult(actor, visible_case(actor, reference), face=face, as_of=as_of)


def consult(actor: Actor, case: m.Case, *, face: str, as_of: datetime | None = None) -> CaseState:
    """``view_case`` for a case already found through ``visible_case``, inside the caller's
    transaction: the state masked for the actor, and the consultation audited."""
    now = utcnow()
    state = shown(actor, case, state_of(case, now, as_of))
    payload = {"face": face, "as_of": as_of.isoformat() if as_of else None}
    audit.record(actor.username, Event.CASE_VIEWED, "case", case.reference, payload, at=now)
    return state


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    reported_at: datetime | None
    place_type: str
    deceased_name: str
    deceased_age: int | None
    category: str
    floor: str
    unmet: int
    version: int


def list_cases(
    actor: Actor, *, face: str, search: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, list[CaseSummary]]:
    """Cases the actor may see, most recent first, optionally filtered by reference or the
    deceased's name (where the actor may see the name); audited. ``total`` counts only them."""
    require(actor, Permission.SEARCH)
    query = visible_cases(actor)
    if search:
        query = query.filter(Q(reference__icontains=search) | name_search(actor, search))
    page = query.annotate(unmet=Count("unmet_items")).order_by("-reported_at", "reference")
    with transaction.atomic():
        total = query.count()
        rows = [
            CaseSummary(
                c.reference,
                c.reported_at,
                c.place_type,
                shown_name(actor, c),
                c.deceased_age,
                c.category,
                c.floor,
                c.unmet,
                c.version,
            )
            for c in page[offset : offset + limit]
        ]
        payload = {"face": face, "count": len(rows), "search": search}
        audit.record(actor.username, Event.CASES_LISTED, "cases", search or "*", payload)
    return total, rows


@dataclass(frozen=True)
class OverdueItem:
    reference: str
    rule_id: str
    title: str
    reason: str
    owner_role: str
    subject: str
    deadline: datetime


#: Oldest deadline first; within a case, in the policy's order (the order the items were written).
OVERDUE_ORDER = ("deadline", "case__reference", "pk")


def overdue_items(actor: Actor, now: datetime | None = None) -> list[OverdueItem]:
    """Unmet checklist items whose deadline has passed, oldest first (from the last evaluation
    of each case), on the cases the actor may see; names the actor may not see are redacted."""
    require(actor, Permission.VIEW_CASE)
    now = now or utcnow()
    rows = (
        m.ChecklistItem.objects.filter(deadline__lt=now, case__in=visible_cases(actor))
        .select_related("case")
        .order_by(*OVERDUE_ORDER)
    )
    items, redactors = [], {}
    for r in rows:
        if r.deadline is None:
            continue
        if r.case_id not in redactors:
            redactors[r.case_id] = case_redactor(actor, r.case)
        redact = redactors[r.case_id]
        items.append(
            OverdueItem(
                r.case.reference,
                r.rule_id,
                r.title,
                redact(r.reason),
                r.owner_role,
                redact(r.subject),
                r.deadline,
            )
        )
    return items


def store_is_empty() -> bool:
    return not m.Case.objects.exists()
