"""The signed-in user's dashboard: what is waiting for them, on the cases they may see.

- **My actions**: open actions (not completed, resulted or filed) whose owner is the user (by
  user name or display name), nearest deadline first.
- **Overdue checklist items**: as ``overdue_items``, counted in the database and cut short.
- **Alerts awaiting my answer**: unanswered alerts put before the user (``view_alerts``).
- **Referrals awaiting acceptance**: pending referrals addressed to the user by user name or
  display name, and, for roles that answer referrals (``answer_referral``), those addressed to
  a team rather than to another user: Vigil has no teams, so a team's referrals wait for every
  role that may answer them. Oldest first: the policy gives them 24 hours.
- **Liaison concerns unanswered** (``investigate``, the right to answer them), oldest first.
- **My draft reports**: cases the user opened whose report still lacks what a finished one
  needs (``vigil.services.reporting.still_to_record``).

Each section holds its full count and its first ``limit`` rows. Free texts are redacted for the
user's view of each case. Reading the dashboard is audited as one consultation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import F, Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import ActionState, ReferralState
from vigil.domain.facts import flatten, report_from_values
from vigil.domain.masking import Redactor
from vigil.records import models as m
from vigil.services.access import may, require, visible_cases
from vigil.services.clock import utcnow
from vigil.services.masking import case_redactor
from vigil.services.reading import OVERDUE_ORDER, OverdueItem
from vigil.services.reporting import still_to_record
from vigil.services.series import visible_links

T = TypeVar("T")
DONE = (ActionState.COMPLETED.value, ActionState.RESULTED.value, ActionState.FILED.value)
DRAFTS_SCANNED = 500


@dataclass(frozen=True)
class Section(Generic[T]):
    shown: bool  # the user's role has a part in this section
    count: int
    rows: tuple[T, ...]


@dataclass(frozen=True)
class ActionRow:
    reference: str
    ref: str
    title: str
    kind: str
    state: str
    deadline: datetime | None
    overdue: bool


@dataclass(frozen=True)
class AlertRow:
    link: int
    a: str
    b: str
    match_weight: float
    raised_at: datetime


@dataclass(frozen=True)
class ReferralRow:
    reference: str
    ref: str
    to_team: str
    made_at: datetime
    made_by: str
    reason: str


@dataclass(frozen=True)
class ConcernRow:
    reference: str
    concern: int
    text: str
    raised_at: datetime
    person: str


@dataclass(frozen=True)
class DraftRow:
    reference: str
    opened_at: datetime
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    actions: Section[ActionRow]
    overdue: Section[OverdueItem]
    alerts: Section[AlertRow]
    referrals: Section[ReferralRow]
    concerns: Section[ConcernRow]
    drafts: Section[DraftRow]


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


def _actions(
    actor: Actor, visible: QuerySet[m.Case], now: datetime, limit: int, redact: _Redactors
) -> Section[ActionRow]:
    query = (
        m.Action.objects.filter(case__in=visible, owner__in=_names(actor))
        .exclude(state__in=DONE)
        .select_related("case")
        .order_by(F("deadline").asc(nulls_last=True), "case__reference", "ref")
    )
    rows = tuple(
        ActionRow(
            a.case.reference,
            a.ref,
            redact(a.case)(a.title),
            a.kind,
            a.state,
            a.deadline,
            a.deadline is not None and a.deadline < now,
        )
        for a in query[:limit]
    )
    return Section(True, query.count(), rows)


def _overdue(
    actor: Actor, visible: QuerySet[m.Case], now: datetime, limit: int, redact: _Redactors
) -> Section[OverdueItem]:
    query = (
        m.ChecklistItem.objects.filter(deadline__lt=now, case__in=visible)
        .select_related("case")
        .order_by(*OVERDUE_ORDER)
    )
    rows = tuple(
        OverdueItem(
            r.case.reference,
            r.rule_id,
            r.title,
            redact(r.case)(r.reason),
            r.owner_role,
            redact(r.case)(r.subject),
            r.deadline,
        )
        for r in query[:limit]
        if r.deadline is not None
    )
    return Section(True, query.count(), rows)


def _alerts(actor: Actor, limit: int) -> Section[AlertRow]:
    if not may(actor, Permission.VIEW_ALERTS):
        return Section(False, 0, ())
    query = (
        m.Alert.objects.filter(
            analyst=actor.username, answered=False, link__in=visible_links(actor)
        )
        .select_related("link__case_a", "link__case_b")
        .order_by("-link__match_weight", "pk")
    )
    rows = tuple(
        AlertRow(
            a.link_id,
            a.link.case_a.reference,
            a.link.case_b.reference,
            round(a.link.match_weight, 2),
            a.raised_at,
        )
        for a in query[:limit]
    )
    return Section(True, query.count(), rows)


def _referrals(
    actor: Actor, visible: QuerySet[m.Case], limit: int, redact: _Redactors
) -> Section[ReferralRow]:
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
    rows = tuple(
        ReferralRow(
            r.case.reference, r.ref, r.to_team, r.made_at, r.made_by, redact(r.case)(r.reason)
        )
        for r in query[:limit]
    )
    count = query.count()
    return Section(answers or count > 0, count, rows)


def _concerns(
    actor: Actor, visible: QuerySet[m.Case], limit: int, redact: _Redactors
) -> Section[ConcernRow]:
    if not may(actor, Permission.INVESTIGATE):
        return Section(False, 0, ())
    query = (
        m.Concern.objects.filter(answer="", entry__case__in=visible)
        .select_related("entry__case")
        .annotate(person_shown=m.shown_ref("entry__case", "entry__person"))
        .order_by("entry__at", "pk")
    )
    rows = tuple(
        ConcernRow(
            c.entry.case.reference,
            c.pk,
            redact(c.entry.case)(c.text),
            c.entry.at,
            c.person_shown,
        )
        for c in query[:limit]
    )
    return Section(True, query.count(), rows)


def _drafts(actor: Actor, visible: QuerySet[m.Case], limit: int) -> Section[DraftRow]:
    if not may(actor, Permission.RECORD_CASE):
        return Section(False, 0, ())
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
            drafts.append(DraftRow(case.reference, case.opened_at, tuple(missing)))
    return Section(True, len(drafts), tuple(drafts[:limit]))


def dashboard(
    actor: Actor, *, face: str, now: datetime | None = None, limit: int = 20
) -> Dashboard:
    """What waits for ``actor``, on the cases they may see; audited as a consultation."""
    require(actor, Permission.VIEW_CASE)
    now = now or utcnow()
    visible = visible_cases(actor)
    redact = _Redactors(actor)
    with transaction.atomic():
        board = Dashboard(
            actions=_actions(actor, visible, now, limit, redact),
            overdue=_overdue(actor, visible, now, limit, redact),
            alerts=_alerts(actor, limit),
            referrals=_referrals(actor, visible, limit, redact),
            concerns=_concerns(actor, visible, limit, redact),
            drafts=_drafts(actor, visible, limit),
        )
        counts = {
            name: getattr(board, name).count
            for name in ("actions", "overdue", "alerts", "referrals", "concerns", "drafts")
        }
        payload = {"face": face, "count": sum(counts.values()), "sections": counts}
        audit.record(actor.username, Event.CASES_LISTED, "dashboard", actor.username, payload)
    return board
