"""Consulting cases. Every view and every list is audited as a consultation; every reader
starts from ``visible_cases`` (need-to-know) and masks what the reader's role may not see."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.timezone import make_aware
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import kinds
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category, UserRole
from vigil.records import models as m
from vigil.services.access.masking import case_redactor, name_search, shown_name
from vigil.services.access.rules import require, use_case, visible_case, visible_cases
from vigil.services.casework.unit import CaseState, shown, state_of
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.portal.queue import overdue_submissions
from vigil.services.readmodels.listing import (
    Listing,
    Sort,
    category_label,
    category_rank,
    choose_order,
    in_unit,
    of_kind,
    paginate,
)
from vigil.services.readmodels.panel import PanelDue, panel_due
from vigil.services.readmodels.shapes import ReadModel


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


class CaseSummary(ReadModel):
    """A row of the case list, masked for the reader."""

    reference: str
    reported_at: datetime | None
    place_type: str
    deceased_name: str
    deceased_age: int | None
    category: str
    floor: str
    unmet: int
    version: int
    unit: str = Field(default="", description="The code of its command unit; '' for none.")
    kind: str = Field(default="death", description="death, drugging or intelligence.")
    # unmet checklist items past their deadline (the pages' column; not in the API's rows)
    overdue: int = Field(default=0, exclude=True)

    @property
    def kind_label(self) -> str:
        return kinds.noun(self.kind).capitalize()

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def floor_label(self) -> str:
        return category_label(self.floor)


def _summary(actor: Actor, c: m.Case) -> CaseSummary:
    return CaseSummary(
        reference=c.reference,
        reported_at=c.reported_at,
        place_type=c.place_type,
        deceased_name=shown_name(actor, c),
        deceased_age=c.deceased_age,
        category=c.category,
        floor=c.floor,
        unmet=getattr(c, "unmet", 0),  # annotated by the query
        version=c.version,
        unit=c.unit_id or "",
        kind=c.kind,
        overdue=getattr(c, "overdue", 0),
    )


def list_cases(
    actor: Actor,
    *,
    face: str,
    search: str = "",
    unit: str = "",
    kind: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[CaseSummary]]:
    """Cases the actor may see, most recent first, optionally filtered by reference or the
    deceased's name (where the actor may see the name) and by command unit (``in_unit``: the
    unit and those below it) and kind of record (``of_kind``); audited. ``total`` counts only
    them."""
    require(actor, Permission.SEARCH)
    query = of_kind(in_unit(visible_cases(actor), unit), kind)
    if search:
        query = query.filter(Q(reference__icontains=search) | name_search(actor, search))
    page = query.annotate(unmet=Count("unmet_items")).order_by("-reported_at", "reference")
    with transaction.atomic():
        total = query.count()
        rows = [_summary(actor, c) for c in page[offset : offset + limit]]
        payload = {"face": face, "count": len(rows), "search": search}
        if unit:
            payload["unit"] = unit
        if kind:
            payload["kind"] = kind
        audit.record(actor.username, Event.CASES_LISTED, "cases", search or "*", payload)
    return total, rows


#: What the case list may be sorted by (never by the deceased's name, which some roles may not
#: see: its order would betray it).
CASE_SORTS = {
    "reference": Sort(("reference",)),
    "reported": Sort(("reported_at", "reference"), descending_first=True),
    "place": Sort(("place_type", "reference")),
    "category": Sort(("category_rank", "reference"), descending_first=True),
    "floor": Sort(("floor_rank", "reference"), descending_first=True),
    "unmet": Sort(("unmet", "reference"), descending_first=True),
}
CASE_DEFAULT_SORT = "reported"

#: The case list's status filter: the checklist's state.
CASE_STATUSES = {
    "open": "With unmet checklist items",
    "overdue": "With overdue checklist items",
    "complete": "Checklist complete",
}


@dataclass(frozen=True)
class CaseFilters:
    """What the case list is narrowed to: every field optional."""

    search: str = ""  # in the reference, or the deceased's name where the reader may see it
    category: str = ""  # a Category value
    status: str = ""  # a key of CASE_STATUSES
    reported_from: date | None = None  # reported on or after this day (local time)
    reported_to: date | None = None  # reported on or before this day
    unit: str = ""  # a unit's code: its cases and those of the units below it; '' or 'all': all
    kind: str = ""  # a RecordKind value: deaths, drugging reports or intelligence entries

    def payload(self) -> dict[str, str]:
        """The filters set, for the audit row."""
        return {
            k: str(v)
            for k, v in (
                ("search", self.search),
                ("category", self.category),
                ("status", self.status),
                ("reported_from", self.reported_from),
                ("reported_to", self.reported_to),
                ("unit", self.unit),
                ("kind", self.kind),
            )
            if v
        }


def _start_of(day: date) -> datetime:
    return make_aware(datetime.combine(day, time.min))


def filtered_cases(actor: Actor, filters: CaseFilters, now: datetime) -> QuerySet[m.Case]:
    """The cases the actor may see, narrowed by ``filters``, with the columns the list sorts
    by. ``Invalid`` names a filter that is not one of the list's."""
    if filters.category and filters.category not in {c.value for c in Category}:
        raise Invalid("category", "choose a category from the list")
    if filters.status and filters.status not in CASE_STATUSES:
        raise Invalid("status", "choose a status from the list")
    first, last = filters.reported_from, filters.reported_to
    if first and last and last < first:
        raise Invalid("reported_to", "the last day reported must be on or after the first")
    query = of_kind(in_unit(visible_cases(actor), filters.unit), filters.kind)
    if filters.search:
        query = query.filter(
            Q(reference__icontains=filters.search) | name_search(actor, filters.search)
        )
    if filters.category:
        query = query.filter(category=filters.category)
    if filters.reported_from:
        query = query.filter(reported_at__gte=_start_of(filters.reported_from))
    if filters.reported_to:
        query = query.filter(reported_at__lt=_start_of(filters.reported_to + timedelta(days=1)))
    query = query.annotate(
        unmet=Count("unmet_items"),
        overdue=Count("unmet_items", filter=Q(unmet_items__deadline__lt=now)),
        category_rank=category_rank("category"),
        floor_rank=category_rank("floor"),
    )
    if filters.status == "open":
        query = query.filter(unmet__gt=0)
    elif filters.status == "overdue":
        query = query.filter(overdue__gt=0)
    elif filters.status == "complete":
        query = query.filter(unmet=0)
    return query


def case_listing(
    actor: Actor,
    *,
    face: str,
    filters: CaseFilters = CaseFilters(),
    sort: str | None = None,
    direction: str | None = None,
    page: object = 1,
    size: int = 50,
    now: datetime | None = None,
) -> Listing[CaseSummary]:
    """One page of the cases the actor may see, narrowed by ``filters`` and sorted by one of
    ``CASE_SORTS`` (another sort is the default, most recently reported first); counted and
    cut in the database; audited as a consultation with the filters."""
    require(actor, Permission.SEARCH)
    order = choose_order(CASE_SORTS, sort, direction, CASE_DEFAULT_SORT)
    query = filtered_cases(actor, filters, now or utcnow()).order_by(
        *CASE_SORTS[order.key].order(order.descending)
    )
    with transaction.atomic():
        listing = paginate(query, page, size, lambda c: _summary(actor, c), order)
        payload = {
            "face": face,
            "count": len(listing.rows),
            "total": listing.total,
            "page": listing.number,
            "sort": order.key,
            **filters.payload(),
        }
        target = filters.search or "*"
        audit.record(actor.username, Event.CASES_LISTED, "cases", target, payload)
    return listing


class OverdueItem(ReadModel):
    """An unmet checklist item past its deadline, its texts redacted for the reader; or, for
    those who triage the portal's reports, a report from the portal whose answer is overdue."""

    reference: str
    rule_id: str
    title: str
    reason: str
    owner_role: str
    subject: str
    deadline: datetime
    referral: int | None = Field(
        default=None,
        description="A referral to the advisory panel with no advice, or whose advice is not "
        "answered, past its due date: its id (reference is its case, or its series' name).",
    )
    submission: int | None = Field(
        default=None,
        description="A report from the public portal waiting for an answer: its id (and "
        "reference is the case it names, if any).",
    )


PORTAL_RULE = "portal_answer"


def portal_overdue_item(s: m.Submission) -> OverdueItem:
    """A report from the portal whose answer is overdue, as an overdue item: what it is and
    since when, never what it says."""
    assert s.answer_due is not None  # overdue_submissions: answer_due__lt
    kind = m.Submission.Kind(s.kind).label
    return OverdueItem(
        reference=s.case_reference,
        rule_id=PORTAL_RULE,
        title="Answer the report from the portal",
        reason=f"{kind}, received on {s.received_on:%-d %b %Y}: the reporter waits for an answer",
        owner_role=UserRole.SAFEGUARDING_OFFICER.value,
        subject=f"Portal report {s.pk}",
        deadline=s.answer_due,
        submission=s.pk,
    )


def panel_overdue_item(due: PanelDue) -> OverdueItem:
    """A referral to the advisory panel, or its advice, past its due date, as an overdue item."""
    return OverdueItem.model_validate(due, from_attributes=True)


#: Oldest deadline first; within a case, in the policy's order (the order the items were written).
OVERDUE_ORDER = ("deadline", "case__reference", "pk")


def overdue_items(actor: Actor, now: datetime | None = None) -> list[OverdueItem]:
    """Unmet checklist items whose deadline has passed, oldest first (from the last evaluation
    of each case), on the cases the actor may see; names the actor may not see are redacted.
    For those who triage the portal's reports, the reports whose answer is overdue too; and the
    advisory panel's referrals and advice past their due dates (``readmodels.panel.panel_due``)."""
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
                reference=r.case.reference,
                rule_id=r.rule_id,
                title=r.title,
                reason=redact(r.reason),
                owner_role=r.owner_role,
                subject=redact(r.subject),
                deadline=r.deadline,
            )
        )
    portal = [portal_overdue_item(s) for s in overdue_submissions(actor, now)]
    panel = [panel_overdue_item(due) for due in panel_due(actor, now)]
    return list(heapq.merge(items, portal, panel, key=lambda item: item.deadline))


def store_is_empty() -> bool:
    return not m.Case.objects.exists()
