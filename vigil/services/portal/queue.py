"""The safeguarding team's triage queue: the portal's submissions as metadata only (their kind,
the day they came, their status, when an answer is due, whether they name a case), never what
they say. Nothing here unlocks a key; opening a report is ``vigil.services.portal.triage``.

Need-to-know reaches the portal too: a submission that names a case the reader may not see (a
family's concern about a restricted case, or a report recorded as one) is, for them, not there
(not listed, not counted, not overdue, not escalated to them, not found by its id), as the case
itself is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import Q, QuerySet, Value, When

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import may, require, visible_cases
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound
from vigil.services.readmodels.listing import Listing, Sort, choose_order, paginate
from vigil.services.readmodels.shapes import ReadModel

Kind = m.Submission.Kind
Status = m.Submission.Status

#: The queue's status filter: what is still to be handled (the default), or one status, or all.
TRIAGE_STATUSES = {
    "waiting": "New or being handled",
    "new": "New, not yet opened",
    "open": "Opened, being handled",
    "closed": "Closed with an outcome",
    "all": "All reports",
}
TRIAGE_KINDS = {kind.value: kind.label for kind in Kind}

#: What the queue may be sorted by. ``priority`` (the default): overdue reports first, then the
#: newest; ``received`` newest first; ``due`` the soonest answer first.
TRIAGE_SORTS = {
    "priority": Sort(("overdue_first", "received_on", "id"), descending_first=True),
    "received": Sort(("received_on", "id"), descending_first=True),
    "due": Sort(("answer_due", "id")),
}


class TriageRow(ReadModel):
    """A submission as the queue shows it: what it is, never what it says."""

    id: int
    kind: str
    kind_label: str
    received_on: date
    status: str
    status_label: str
    answer_due: datetime | None
    overdue: bool
    names_case: bool  # a family concern that gave a case reference matching a case
    case_reference: str  # the case it names or was recorded as, if the reader may see it
    outcome: str


def visible_submissions(actor: Actor) -> QuerySet[m.Submission]:
    """The submissions the actor may know exist: those naming no case, or a case they may see."""
    seen = visible_cases(actor).values("reference")
    return m.Submission.objects.filter(Q(case_reference="") | Q(case_reference__in=seen))


def visible_submission(
    actor: Actor, submission_id: int, *, for_update: bool = False
) -> m.Submission:
    """One of ``visible_submissions`` (locked for the use case with ``for_update``); else
    ``NotFound`` in the same words whether it does not exist or names a case the actor may not
    see (the words never repeat the id)."""
    query = visible_submissions(actor)
    if for_update:
        query = query.select_for_update()
    found = query.filter(pk=submission_id).first()
    if found is None:
        raise NotFound("submission", "there is no such report from the portal")
    return found


def triage_row(s: m.Submission, now: datetime) -> TriageRow:
    """The queue's row of ``s`` (which the reader may see) at ``now``."""
    return TriageRow(
        id=s.pk,
        kind=s.kind,
        kind_label=Kind(s.kind).label,
        received_on=s.received_on,
        status=s.status,
        status_label=Status(s.status).label,
        answer_due=s.answer_due,
        overdue=_overdue(s, now),
        names_case=s.kind == Kind.FAMILY_CONCERN and bool(s.case_reference),
        case_reference=s.case_reference,  # visible_submissions: a case the reader may see
        outcome=s.outcome,
    )


def _overdue(s: m.Submission, now: datetime) -> bool:
    """An answer is due and its time has passed. A reply or closing clears ``answer_due``; a
    new message from the reporter sets it again, even on a closed report."""
    return s.answer_due is not None and s.answer_due < now


#: Still to be handled: not closed, or with an answer due (the reporter wrote again).
WAITING = ~Q(status=Status.CLOSED) | Q(answer_due__isnull=False)


@dataclass(frozen=True)
class TriageFilters:
    """What the queue is narrowed to: a key of ``TRIAGE_STATUSES`` and of ``TRIAGE_KINDS``
    (empty: any kind)."""

    status: str = "waiting"
    kind: str = ""


def _filtered(actor: Actor, filters: TriageFilters, now: datetime) -> QuerySet[m.Submission]:
    if filters.status not in TRIAGE_STATUSES:
        raise Invalid("status", "choose which reports to show from the list")
    if filters.kind and filters.kind not in TRIAGE_KINDS:
        raise Invalid("kind", "choose a kind of report from the list")
    query = visible_submissions(actor)
    if filters.status == "waiting":
        query = query.filter(WAITING)
    elif filters.status != "all":
        query = query.filter(status=filters.status)
    if filters.kind:
        query = query.filter(kind=filters.kind)
    overdue = Q(answer_due__lt=now)
    return query.annotate(overdue_first=Choose(When(overdue, then=Value(1)), default=Value(0)))


def triage_queue(
    actor: Actor,
    *,
    face: str,
    filters: TriageFilters = TriageFilters(),
    sort: str | None = None,
    direction: str | None = None,
    page: object = 1,
    size: int = 50,
    now: datetime | None = None,
) -> Listing[TriageRow]:
    """One page of the portal's submissions the actor may see, as metadata only (nothing is
    decrypted), overdue first then the newest (or by one of ``TRIAGE_SORTS``); counted and cut
    in the database; audited as a consultation."""
    require(actor, Permission.TRIAGE_REPORTS)
    now = now or utcnow()
    order = choose_order(TRIAGE_SORTS, sort, direction, "priority")
    query = _filtered(actor, filters, now).order_by(
        *TRIAGE_SORTS[order.key].order(order.descending)
    )
    with transaction.atomic():
        listing = paginate(query, page, size, lambda s: triage_row(s, now), order)
        payload = {
            "face": face,
            "count": len(listing.rows),
            "total": listing.total,
            "page": listing.number,
            "sort": order.key,
            "status": filters.status,
            "kind": filters.kind,
        }
        audit.record(actor.username, Event.PORTAL_LISTED, "portal", "*", payload)
    return listing


def triage_item(actor: Actor, submission_id: int, *, face: str) -> TriageRow:
    """One submission's metadata (what the queue shows of it), without opening it; audited."""
    require(actor, Permission.TRIAGE_REPORTS)
    with transaction.atomic():
        row = triage_row(visible_submission(actor, submission_id), utcnow())
        audit.record(actor.username, Event.PORTAL_VIEWED, "portal", str(row.id), {"face": face})
    return row


def known_submissions(actor: Actor) -> QuerySet[m.Submission]:
    """The submissions the actor is to know of outside the queue (the overdue lists, the steps
    of escalation): ``visible_submissions`` for those who triage the portal's reports
    (``triage_reports``), none for anyone else."""
    if not may(actor, Permission.TRIAGE_REPORTS):
        return m.Submission.objects.none()
    return visible_submissions(actor)


def overdue_submissions(actor: Actor, now: datetime) -> QuerySet[m.Submission]:
    """Submissions whose answer is overdue, the longest overdue first, of ``known_submissions``."""
    return known_submissions(actor).filter(answer_due__lt=now).order_by("answer_due", "pk")


def unanswered_portal_concerns(reference: str) -> int:
    """Family concerns sent through the portal that name case ``reference`` and wait for an
    answer (one is due: a reply clears it, a new message from the family sets it again)."""
    return m.Submission.objects.filter(
        kind=Kind.FAMILY_CONCERN, case_reference=reference, answer_due__isnull=False
    ).count()
