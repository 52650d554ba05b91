"""The reviewing officer's queue: cases awaiting a category decision, a decision by one of the
pack's ``signoff_roles`` (a response officer's own decision is not one), or a supervisor's
override of a category below the floor, the cases with overdue checklist items first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category, RecordKind
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.casework.policy import current_pack
from vigil.services.clock import utcnow
from vigil.services.linkage.series import review_due, series_reason_column
from vigil.services.readmodels.listing import (
    Listing,
    Sort,
    category_rank,
    choose_order,
    in_unit,
    paginate,
)
from vigil.services.readmodels.shapes import ReadModel

AWAITING_DECISION = "No category decided"
AWAITING_SIGNOFF = "Decided, not yet signed off by a reviewing officer"
AWAITING_OVERRIDE = "Below the floor without a supervisor's override"


class QueueRow(ReadModel):
    """A case in the review queue, with why it waits."""

    reference: str
    reported_at: datetime | None
    place_type: str
    category: str
    floor: str
    waiting: str  # AWAITING_DECISION, AWAITING_SIGNOFF or AWAITING_OVERRIDE
    overdue: int  # unmet checklist items past their deadline
    unmet: int
    next_deadline: datetime | None
    version: int
    unit: str = Field(default="", description="The code of its command unit; '' for none.")

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def floor_label(self) -> str:
        return Category(self.floor).label if self.floor else ""


def _holds_role(column: str, roles: list[str]) -> Exists:
    """The user named in ``column`` holds one of ``roles``."""
    return Exists(m.Profile.objects.filter(user__username=OuterRef(column), role__in=roles))


def awaiting_review(actor: Actor, now: datetime) -> QuerySet[m.Case]:
    """Cases the actor may see with no category decision, or whose decision in force (the
    latest) was neither made nor signed off by one of the pack's ``signoff_roles``, or is below
    the floor without an override; overdue items first, then the nearest deadline, then the
    oldest report. Deaths only: no other kind of record has a category."""
    latest = m.CategoryDecision.objects.filter(case=OuterRef("pk")).order_by("-decided_at", "-pk")
    signers = [role.value for role in current_pack().signoff_roles]
    return (
        visible_cases(actor)
        .filter(kind=RecordKind.DEATH.value)
        .annotate(
            decided=Exists(latest),
            decided_by=Subquery(latest.values("decided_by")[:1]),
            override_by=Subquery(latest.values("override_by")[:1]),
            category_rank=category_rank("category"),
            floor_rank=category_rank("floor"),
            series_reason=series_reason_column(actor),
        )
        .annotate(
            made_by_signer=_holds_role("decided_by", signers),
            signed_by_signer=_holds_role("override_by", signers),
        )
        .filter(
            Q(decided=False)
            | Q(made_by_signer=False, signed_by_signer=False)
            | (
                Q(category_rank__lt=F("floor_rank"))
                & (Q(override_by="") | Q(override_by__isnull=True))
            )
            | Q(pk__in=review_due())  # decided before its series was confirmed
        )
        .annotate(
            overdue=Count("unmet_items", filter=Q(unmet_items__deadline__lt=now)),
            unmet=Count("unmet_items"),
            next_deadline=Min("unmet_items__deadline"),
        )
        .order_by(
            Choose(When(overdue__gt=0, then=Value(0)), default=Value(1)),
            F("next_deadline").asc(nulls_last=True),
            F("reported_at").asc(nulls_last=True),
            "reference",
        )
    )


COLUMNS = [
    *("reference", "reported_at", "place_type", "category", "floor", "decided"),
    *("made_by_signer", "signed_by_signer", "overdue", "unmet", "next_deadline"),
    "version",
    "series_reason",
    "unit",
]


def _row(c: dict[str, Any]) -> QueueRow:
    return QueueRow(
        reference=c["reference"],
        reported_at=c["reported_at"],
        place_type=c["place_type"],
        category=c["category"],
        floor=c["floor"],
        waiting=_waiting(c),
        overdue=c["overdue"],
        unmet=c["unmet"],
        next_deadline=c["next_deadline"],
        version=c["version"],
        unit=c["unit"] or "",
    )


def _waiting(row: dict[str, Any]) -> str:
    if not row["decided"]:
        waiting = AWAITING_DECISION
    elif not (row["made_by_signer"] or row["signed_by_signer"]):
        waiting = AWAITING_SIGNOFF
    else:
        waiting = AWAITING_OVERRIDE
    series = row.get("series_reason")  # 'Part of confirmed series ...', masked for the reader
    return f"{series}. {waiting}" if series else waiting


def review_queue(
    actor: Actor,
    *,
    face: str,
    unit: str = "",
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[int, list[QueueRow]]:
    """The queue for those who may categorise (the role table's ``categorise``), optionally of
    one command unit and those below it (``in_unit``): its length and one page of it; audited
    as a consultation."""
    require(actor, Permission.CATEGORISE)
    now = now or utcnow()
    query = in_unit(awaiting_review(actor, now), unit)
    with transaction.atomic():
        total = query.count()
        rows = [_row(c) for c in query.values(*COLUMNS)[offset : offset + limit]]
        payload = {"face": face, "count": len(rows), "total": total, "unit": unit}
        audit.record(actor.username, Event.CASES_LISTED, "review-queue", "*", payload)
    return total, rows


#: What the queue may be sorted by; ``priority`` (the default) is overdue cases first, then the
#: nearest deadline, then the oldest report.
QUEUE_SORTS = {
    "priority": Sort(("overdue_first", "next_deadline", "reported_at", "reference")),
    "reference": Sort(("reference",)),
    "reported": Sort(("reported_at", "reference")),
    "category": Sort(("category_rank", "reference"), descending_first=True),
    "floor": Sort(("floor_rank", "reference"), descending_first=True),
    "unmet": Sort(("unmet", "reference"), descending_first=True),
    "deadline": Sort(("next_deadline", "reference")),
}


def review_listing(
    actor: Actor,
    *,
    face: str,
    overdue_only: bool = False,
    unit: str = "",
    sort: str | None = None,
    direction: str | None = None,
    page: object = 1,
    size: int = 50,
    now: datetime | None = None,
) -> Listing[QueueRow]:
    """One page of the queue (``review_queue``), optionally only the cases with overdue
    checklist items, or of one command unit and those below it, sorted by one of
    ``QUEUE_SORTS``; counted and cut in the database; audited as a consultation."""
    require(actor, Permission.CATEGORISE)
    now = now or utcnow()
    order = choose_order(QUEUE_SORTS, sort, direction, "priority")
    query = in_unit(awaiting_review(actor, now), unit).annotate(
        overdue_first=Choose(When(overdue__gt=0, then=Value(0)), default=Value(1))
    )
    if overdue_only:
        query = query.filter(Q(overdue__gt=0))
    query = query.order_by(*QUEUE_SORTS[order.key].order(order.descending))
    with transaction.atomic():
        listing = paginate(query.values(*COLUMNS), page, size, _row, order)
        payload = {
            "face": face,
            "count": len(listing.rows),
            "total": listing.total,
            "page": listing.number,
            "sort": order.key,
            "overdue_only": overdue_only,
            "unit": unit,
        }
        audit.record(actor.username, Event.CASES_LISTED, "review-queue", "*", payload)
    return listing
