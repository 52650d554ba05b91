"""Consulting cases. Every view and every list is audited as a consultation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.unit import CaseState, get_case, state_of, utcnow


def view_case(
    actor: Actor, reference: str, *, face: str, as_of: datetime | None = None
) -> CaseState:
    """The case (as it stands, or as it stood at ``as_of``) with its evaluation; audited."""
    now = utcnow()
    with transaction.atomic():
        case = get_case(reference)
        state = state_of(case, now, as_of)
        payload = {"face": face, "as_of": as_of.isoformat() if as_of else None}
        audit.record(actor.username, Event.CASE_VIEWED, "case", reference, payload, at=now)
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
    """Cases, most recent first, optionally filtered by reference or deceased's name; audited."""
    query = m.Case.objects.all()
    if search:
        query = query.filter(reference__icontains=search) | query.filter(
            deceased_name__icontains=search
        )
    page = query.annotate(unmet=Count("unmet_items")).order_by("-reported_at", "reference")
    with transaction.atomic():
        total = query.count()
        rows = [
            CaseSummary(
                c.reference,
                c.reported_at,
                c.place_type,
                c.deceased_name,
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


def overdue_items(now: datetime | None = None) -> list[OverdueItem]:
    """Unmet checklist items whose deadline has passed, oldest first (from the last evaluation
    of each case)."""
    now = now or utcnow()
    rows = (
        m.ChecklistItem.objects.filter(deadline__lt=now)
        .select_related("case")
        .order_by("deadline", "case__reference")
    )
    return [
        OverdueItem(
            r.case.reference, r.rule_id, r.title, r.reason, r.owner_role, r.subject, r.deadline
        )
        for r in rows
        if r.deadline is not None
    ]


def store_is_empty() -> bool:
    return not m.Case.objects.exists()
