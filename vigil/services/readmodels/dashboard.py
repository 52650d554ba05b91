"""The signed-in user's dashboard: what is waiting for them, on the cases they may see.

- **My actions**: open actions (not completed, resulted or filed) whose owner is the user (by
  user name or display name), nearest deadline first.
- **Overdue checklist items**: as ``overdue_items``, counted in the database and cut short
  (with the portal's reports whose answer is overdue, for those who triage them, and the
  advisory panel's referrals and advice past their due dates).
- **Alerts awaiting my answer**: unanswered alerts put before the user (``view_alerts``).
- **Referrals awaiting acceptance**: pending referrals addressed to the user by user name or
  display name, and, for roles that answer referrals (``answer_referral``), those addressed to
  a team rather than to another user: Vigil has no teams, so a team's referrals wait for every
  role that may answer them. Oldest first: the policy gives them 24 hours.
- **Liaison concerns unanswered** (``investigate``, the right to answer them), oldest first.
- **My draft reports**: cases the user opened whose report still lacks what a finished one
  needs (``vigil.services.readmodels.reporting.still_to_record``).
- **Overdue items escalated to me**: the steps of escalation that reached the user, on cases
  they may still see and on reports from the portal they may still know of.

A command unit (``unit``: its code) narrows the sections about the unit's cases, the overdue
checklist items and the unanswered concerns, to that unit and the units below it; what is the
user's own (actions, alerts, referrals, drafts) is shown whatever the unit.

Each section holds its full count and its first ``limit`` rows. Free texts are redacted for the
user's view of each case. Reading the dashboard is audited as one consultation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models import F, Q, QuerySet
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import ActionState, ReferralState
from vigil.domain.facts import flatten, report_from_values
from vigil.domain.masking import Redactor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor
from vigil.services.access.rules import may, require, visible_cases
from vigil.services.casework.escalation import notifications_to
from vigil.services.clock import utcnow
from vigil.services.errors import Forbidden, NotFound
from vigil.services.linkage.series import visible_links
from vigil.services.portal.queue import overdue_submissions
from vigil.services.readmodels.listing import Listing, Merged, in_unit, paginate
from vigil.services.readmodels.panel import PanelDue, panel_due
from vigil.services.readmodels.reading import (
    OVERDUE_ORDER,
    OverdueItem,
    panel_overdue_item,
    portal_overdue_item,
)
from vigil.services.readmodels.reporting import still_to_record
from vigil.services.readmodels.shapes import ReadModel

T = TypeVar("T")
DONE = (ActionState.COMPLETED.value, ActionState.RESULTED.value, ActionState.FILED.value)
DRAFTS_SCANNED = 500


class Section(ReadModel, Generic[T]):
    """A section of the dashboard: its full count and its first rows."""

    shown: bool = Field(description="Your role has a part in this section.")
    count: int
    rows: tuple[T, ...]


class ActionRow(ReadModel):
    reference: str
    ref: str
    title: str
    kind: str
    state: str
    deadline: datetime | None
    overdue: bool


class AlertRow(ReadModel):
    link: int
    a: str
    b: str
    match_weight: float
    raised_at: datetime


class ReferralRow(ReadModel):
    reference: str
    ref: str
    to_team: str
    made_at: datetime
    made_by: str
    reason: str


class ConcernRow(ReadModel):
    reference: str
    concern: int = Field(description="The id to answer it by.")
    text: str
    raised_at: datetime
    person: str


class DraftRow(ReadModel):
    reference: str
    opened_at: datetime
    missing: tuple[str, ...]


class EscalationRow(ReadModel):
    """An overdue item the policy's escalation passed to you: on a case (``reference``), or on
    a report from the portal (``submission``, its id in the triage queue; no reference)."""

    reference: str
    submission: int | None = Field(
        None, description="The report from the portal it is on (then reference is empty)."
    )
    title: str
    deadline: datetime
    sent_at: datetime
    as_the: str = Field(description="Why it reached you: owner, owner_supervisor, ...")


class Dashboard(ReadModel):
    """Your work, each section with its full count and its first rows."""

    actions: Section[ActionRow]
    overdue: Section[OverdueItem]
    alerts: Section[AlertRow]
    referrals: Section[ReferralRow]
    concerns: Section[ConcernRow]
    drafts: Section[DraftRow]
    escalated: Section[EscalationRow]


class _Redactors:
    """One redactor per case, made once."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.made: dict[int, Redactor] = {}

    def __call__(self, case: m.Case) -> Redactor:
        if case.pk not in self.made:
            self.made[case.pk] = case_redactor(self.actor, case)
        return self.made[case.pk]


def _names(actor: Actor) -> set[str]:
    display = (
        m.Profile.objects.filter(user__username=actor.username)
        .values_list("display_name", flat=True)
        .first()
    )
    return {actor.username} | ({display} if display else set())


@dataclass(frozen=True)
class _Source:
    """A section before it is cut: whether the user's role has a part in it, its rows (an
    ordered query, or a list) and how each becomes a row of the section."""

    shown: bool
    rows: Any
    make: Callable[[Any], Any]

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def section(self, limit: int) -> Section[Any]:
        rows = tuple(self.make(r) for r in self.rows[:limit])
        return Section(shown=self.shown, count=self.count() if self.shown else 0, rows=rows)


def _actions(actor: Actor, visible: QuerySet[m.Case], now: datetime, redact: _Redactors) -> _Source:
    query = (
        m.Action.objects.filter(case__in=visible, owner__in=_names(actor))
        .exclude(state__in=DONE)
        .select_related("case")
        .order_by(F("deadline").asc(nulls_last=True), "case__reference", "ref")
    )

    def row(a: m.Action) -> ActionRow:
        return ActionRow(
            reference=a.case.reference,
            ref=a.ref,
            title=redact(a.case)(a.title),
            kind=a.kind,
            state=a.state,
            deadline=a.deadline,
            overdue=a.deadline is not None and a.deadline < now,
        )

    return _Source(True, query, row)


def _overdue(actor: Actor, visible: QuerySet[m.Case], now: datetime, redact: _Redactors) -> _Source:
    """Overdue checklist items and, for those who triage them, the portal's reports whose
    answer is overdue, in one list by deadline (both counted and cut in the database)."""
    query = (
        m.ChecklistItem.objects.filter(deadline__lt=now, case__in=visible)
        .select_related("case")
        .order_by(*OVERDUE_ORDER)
    )
    reports = overdue_submissions(actor, now)
    panel = panel_due(actor, now)  # the advisory panel's referrals and advice past their due

    def row(r: m.ChecklistItem | m.Submission | PanelDue) -> OverdueItem:
        if isinstance(r, m.Submission):
            return portal_overdue_item(r)
        if isinstance(r, PanelDue):
            return panel_overdue_item(r)
        assert r.deadline is not None  # deadline__lt: never null
        return OverdueItem(
            reference=r.case.reference,
            rule_id=r.rule_id,
            title=r.title,
            reason=redact(r.case)(r.reason),
            owner_role=r.owner_role,
            subject=redact(r.case)(r.subject),
            deadline=r.deadline,
        )

    if not reports.exists() and not panel:
        return _Source(True, query, row)
    by_deadline = Merged(
        query, reports, panel, key=lambda r: getattr(r, "deadline", None) or r.answer_due
    )
    return _Source(True, by_deadline, row)


def _alerts(actor: Actor) -> _Source:
    """The alerts put before the user and not answered: the list's ``mine`` filter."""
    if not may(actor, Permission.VIEW_ALERTS):
        return _Source(False, m.Alert.objects.none(), lambda a: a)
    query = (
        m.Alert.objects.filter(
            analyst=actor.username, answered=False, link__in=visible_links(actor)
        )
        .select_related("link__case_a", "link__case_b")
        .order_by("-link__match_weight", "pk")
    )

    def row(a: m.Alert) -> AlertRow:
        return AlertRow(
            link=a.link_id,
            a=a.link.case_a.reference,
            b=a.link.case_b.reference,
            match_weight=round(a.link.match_weight, 2),
            raised_at=a.raised_at,
        )

    return _Source(True, query, row)


def _referrals(actor: Actor, visible: QuerySet[m.Case], redact: _Redactors) -> _Source:
    answers = may(actor, Permission.ANSWER_REFERRAL)
    mine = _names(actor)
    addressed = Q(to_team__in=mine)
    if answers:
        others = m.Profile.objects.exclude(user__username=actor.username)
        other_names = set(others.values_list("user__username", flat=True)) | {
            n for n in others.values_list("display_name", flat=True) if n
        }
        addressed |= ~Q(to_team__in=other_names - mine)
    query = (
        m.Referral.objects.filter(addressed, case__in=visible, state=ReferralState.PENDING.value)
        .select_related("case")
        .order_by("made_at", "case__reference", "ref")
    )

    def row(r: m.Referral) -> ReferralRow:
        return ReferralRow(
            reference=r.case.reference,
            ref=r.ref,
            to_team=r.to_team,
            made_at=r.made_at,
            made_by=r.made_by,
            reason=redact(r.case)(r.reason),
        )

    return _Source(answers or query.exists(), query, row)


def _concerns(actor: Actor, visible: QuerySet[m.Case], redact: _Redactors) -> _Source:
    if not may(actor, Permission.INVESTIGATE):
        return _Source(False, m.Concern.objects.none(), lambda c: c)
    query = (
        m.Concern.objects.filter(answer="", entry__case__in=visible)
        .select_related("entry__case")
        .annotate(person_shown=m.shown_ref("entry__case", "entry__person"))
        .order_by("entry__at", "pk")
    )

    def row(c: Any) -> ConcernRow:
        return ConcernRow(
            reference=c.entry.case.reference,
            concern=c.pk,
            text=redact(c.entry.case)(c.text),
            raised_at=c.entry.at,
            person=c.person_shown,
        )

    return _Source(True, query, row)


def _drafts(actor: Actor, visible: QuerySet[m.Case]) -> _Source:
    if not may(actor, Permission.RECORD_CASE):
        return _Source(False, [], lambda d: d)
    # Only a case lacking one of these columns can lack what a finished report needs.
    candidates = (
        visible.filter(opened_by=actor.username)
        .filter(
            Q(reported_at__isnull=True)
            | Q(found_at__isnull=True)
            | Q(place_type="")
            | Q(latitude__isnull=True)
            | Q(longitude__isnull=True)
        )
        .order_by("-opened_at", "reference")
    )
    drafts = []
    for case in candidates[:DRAFTS_SCANNED]:
        missing = still_to_record(report_from_values(flatten(case.state or {})))
        if missing:
            drafts.append(
                DraftRow(reference=case.reference, opened_at=case.opened_at, missing=tuple(missing))
            )
    return _Source(True, drafts, lambda d: d)


def _escalated(actor: Actor) -> _Source:
    """The steps of escalation that reached the user (``vigil escalate``), newest first, on
    cases they may still see and reports from the portal they may still know of
    (``notifications_to``); the item's title is in fixed words, never a case's free text nor
    a reporter's."""

    def row(n: m.Notification) -> EscalationRow:
        return EscalationRow(
            reference=n.case_reference,
            submission=n.submission_id,
            title=n.title,
            deadline=n.deadline,
            sent_at=n.sent_at,
            as_the=n.target,
        )

    return _Source(True, notifications_to(actor), row)


#: The sections, in the order the dashboard shows them, with their titles.
SECTION_TITLES = {
    "actions": "My actions",
    "overdue": "Overdue checklist items",
    "alerts": "Alerts awaiting my answer",
    "referrals": "Referrals awaiting acceptance",
    "concerns": "Liaison concerns unanswered",
    "drafts": "My draft reports",
    "escalated": "Overdue items escalated to me",
}
SECTIONS = tuple(SECTION_TITLES)


def _makers(actor: Actor, now: datetime, unit: str = "") -> dict[str, Callable[[], _Source]]:
    """How each section is read, by name (read only when asked for)."""
    visible = visible_cases(actor)
    in_the_unit = in_unit(visible, unit)
    redact = _Redactors(actor)
    return {
        "actions": lambda: _actions(actor, visible, now, redact),
        "overdue": lambda: _overdue(actor, in_the_unit, now, redact),
        "alerts": lambda: _alerts(actor),
        "referrals": lambda: _referrals(actor, visible, redact),
        "concerns": lambda: _concerns(actor, in_the_unit, redact),
        "drafts": lambda: _drafts(actor, visible),
        "escalated": lambda: _escalated(actor),
    }


def dashboard(
    actor: Actor, *, face: str, unit: str = "", now: datetime | None = None, limit: int = 20
) -> Dashboard:
    """What waits for ``actor``, on the cases they may see (the unit's work of ``unit`` only,
    if given); audited as a consultation."""
    require(actor, Permission.VIEW_CASE)
    now = now or utcnow()
    with transaction.atomic():
        board = Dashboard(
            **{name: make().section(limit) for name, make in _makers(actor, now, unit).items()}
        )
        counts = {name: getattr(board, name).count for name in SECTIONS}
        payload = {"face": face, "count": sum(counts.values()), "sections": counts, "unit": unit}
        audit.record(actor.username, Event.CASES_LISTED, "dashboard", actor.username, payload)
    return board


def dashboard_section(
    actor: Actor,
    name: str,
    *,
    face: str,
    unit: str = "",
    page: object = 1,
    size: int = 50,
    now: datetime | None = None,
) -> Listing[Any]:
    """One section of the dashboard in full, a page at a time: the same rows, in the same
    order, and the same total as the dashboard counts. ``NotFound`` for a section that does
    not exist, ``Forbidden`` for one the user's role has no part in; audited as a
    consultation."""
    require(actor, Permission.VIEW_CASE)
    if name not in SECTIONS:
        raise NotFound("section", f"there is no list called '{name}' on the dashboard")
    source = _makers(actor, now or utcnow(), unit)[name]()
    if not source.shown:
        raise Forbidden("section", f"your role has no part in {SECTION_TITLES[name].lower()}")
    with transaction.atomic():
        listing = paginate(source.rows, page, size, source.make)
        payload = {
            "face": face,
            "count": len(listing.rows),
            "total": listing.total,
            "page": listing.number,
            "unit": unit,
        }
        audit.record(
            actor.username, Event.CASES_LISTED, f"dashboard-{name}", actor.username, payload
        )
    return listing
