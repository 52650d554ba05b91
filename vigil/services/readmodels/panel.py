"""Referrals to the independent advisory panel as a reader may see them: the panel member's
queue, the supervisors' list, one referral with its advice and answers, and what is overdue.

- **Need-to-know.** A referral puts one or more cases before the panel; a reader sees it only if
  they may see every one of them (``visible_referrals``). A restricted case is referred only to
  a panel member named on it (``vigil.services.casework.panel``), so the referral itself never
  opens a case to anyone the restriction does not name.
- **Masking.** The question, the advice and the answers are free texts about the cases: each is
  redacted for the reader's view of every case the referral covers, as the case page's texts
  are, so a name typed into a question never reaches the panel.
- **Overdue** (``panel_due``): a referral with no advice after its due date (the panel's), and
  advice with no answer after its due date (the referring officer's), are overdue items beside
  the checklist's, on the dashboard and in ``overdue_items``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.timezone import localtime
from pydantic import Field, computed_field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.domain.masking import Redactor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor
from vigil.services.access.rules import require, visible_cases
from vigil.services.errors import NotFound
from vigil.services.readmodels.shapes import ReadModel

#: What a referral waits for, by its ``status``, in words.
STATUSES = {
    "advice_due": "Awaiting the panel's advice",
    "answer_due": "Advice awaiting an answer",
    "answered": "Advice answered",
}
NO_SUCH_REFERRAL = "there is no such referral to the panel"
PANEL_ADVICE_RULE = "panel_advice"
PANEL_ANSWER_RULE = "panel_answer"


class AnswerShown(ReadModel):
    """An answer to the panel's advice (redacted for the reader)."""

    accepted: bool
    reason: str
    by: str
    at: datetime


class AdviceShown(ReadModel):
    """The panel's advice with its answers, oldest first: the last is the one in force."""

    id: int = Field(description="The id to answer it by (POST /api/panel/advice/ID/answer).")
    text: str
    by: str
    at: datetime
    answer_due: datetime = Field(description="When the referring officer must have answered.")
    answers: list[AnswerShown]

    @property
    def answer(self) -> AnswerShown | None:
        return self.answers[-1] if self.answers else None


class ReferralShown(ReadModel):
    """A case or a series put before the panel with a question, with the advice given and the
    answers to it; its texts redacted for the reader."""

    id: int
    kind: str = Field(description="'case' or 'series'.")
    reference: str = Field(description="The case referred, or the series' name (its first case).")
    cases: list[str] = Field(description="The cases it puts before the panel.")
    question: str
    referred_by: str
    referred_at: datetime
    panel_member: str = Field(description="The panel member it is put to; '' for any of them.")
    answer_due: datetime = Field(description="When the panel's advice is due.")
    advice: list[AdviceShown]

    @computed_field(description="advice_due, answer_due (advice not answered) or answered")  # type: ignore[prop-decorator]
    @property
    def status(self) -> str:
        if not self.advice:
            return "advice_due"
        return "answer_due" if any(a.answer is None for a in self.advice) else "answered"

    @property
    def status_words(self) -> str:
        return STATUSES[self.status]

    @property
    def name(self) -> str:
        """'Case L-1' or 'Series L-1'."""
        return f"{self.kind.capitalize()} {self.reference}"


def visible_referrals(actor: Actor) -> QuerySet[m.PanelReferral]:
    """The referrals every case of which the actor may see (need-to-know)."""
    unseen = m.PanelReferralCase.objects.filter(referral=OuterRef("pk")).exclude(
        case__in=visible_cases(actor)
    )
    return m.PanelReferral.objects.filter(~Exists(unseen))


def shown(actor: Actor, referrals: Iterable[m.PanelReferral]) -> list[ReferralShown]:
    """The referrals (already found visible) as ``actor`` may see them."""
    rows = m.PanelReferral.objects.filter(pk__in=[r.pk for r in referrals]).prefetch_related(
        Prefetch("cases", m.PanelReferralCase.objects.select_related("case").order_by("pk")),
        Prefetch("advice", m.PanelAdvice.objects.prefetch_related("answers")),
    )
    made: dict[int, Redactor] = {}
    out = []
    for r in rows:
        cases = [c.case for c in r.cases.all()]
        for case in cases:
            if case.pk not in made:
                made[case.pk] = case_redactor(actor, case)
        redactors = [made[c.pk] for c in cases]

        def redact(text: str, redactors: list[Redactor] = redactors) -> str:
            for each in redactors:
                text = each(text)
            return text

        out.append(
            ReferralShown(
                id=r.pk,
                kind=r.kind,
                reference=r.reference,
                cases=[c.reference for c in cases],
                question=redact(r.question),
                referred_by=r.referred_by,
                referred_at=r.referred_at,
                panel_member=r.panel_member,
                answer_due=r.answer_due,
                advice=[
                    AdviceShown(
                        id=a.pk,
                        text=redact(a.text),
                        by=a.by,
                        at=a.at,
                        answer_due=a.answer_due,
                        answers=[
                            AnswerShown(
                                accepted=x.accepted, reason=redact(x.reason), by=x.by, at=x.at
                            )
                            for x in a.answers.all()
                        ],
                    )
                    for a in r.advice.all()
                ],
            )
        )
    order = {r.pk: n for n, r in enumerate(referrals)}
    return sorted(out, key=lambda s: order[s.id])


def find_referral(actor: Actor, referral_id: int) -> m.PanelReferral:
    """The referral, if the actor may see every case of it; else not found (as a missing one)."""
    referral = visible_referrals(actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("referral", NO_SUCH_REFERRAL)
    return referral


def panel_referral(actor: Actor, referral_id: int) -> ReferralShown:
    """One referral as the actor may see it (``find_referral``)."""
    return shown(actor, [find_referral(actor, referral_id)])[0]


def _listed(actor: Actor, rows: list[ReferralShown], target: str, face: str) -> None:
    with transaction.atomic():
        payload = {"face": face, "count": len(rows)}
        audit.record(actor.username, Event.CASES_LISTED, target, actor.username, payload)


def panel_queue(actor: Actor, *, face: str) -> list[ReferralShown]:
    """The panel member's queue: referrals put to them or to any panel member, on cases they
    may see; those awaiting advice first, soonest due first, then the rest, newest first.
    Audited as a consultation."""
    require(actor, Permission.ADVISE)
    query = visible_referrals(actor).filter(panel_member__in=["", actor.username])
    rows = shown(actor, query.order_by("-referred_at", "-pk"))
    waiting = sorted((r for r in rows if not r.advice), key=lambda r: r.answer_due)
    rows = waiting + [r for r in rows if r.advice]
    _listed(actor, rows, "panel-queue", face)
    return rows


def panel_referrals(actor: Actor, *, face: str) -> list[ReferralShown]:
    """Every referral to the panel on cases the supervisor may see: advice awaiting an answer
    first, then referrals awaiting advice, then those answered; newest first within each.
    Audited as a consultation."""
    require(actor, Permission.REFER_TO_PANEL)
    rows = shown(actor, visible_referrals(actor).order_by("-referred_at", "-pk"))
    rank = {"answer_due": 0, "advice_due": 1, "answered": 2}
    rows = sorted(rows, key=lambda r: rank[r.status])
    _listed(actor, rows, "panel-referrals", face)
    return rows


def panel_members(actor: Actor) -> list[str]:
    """The active panel members' user names, for a supervisor choosing whom to ask."""
    require(actor, Permission.REFER_TO_PANEL)
    members = m.Profile.objects.filter(role=UserRole.PANEL_MEMBER.value, user__is_active=True)
    return sorted(members.values_list("user__username", flat=True))


# --- overdue


@dataclass(frozen=True)
class PanelDue:
    """A referral or a piece of advice past its due date, with the fields of an overdue item
    (``vigil.services.readmodels.reading.OverdueItem``) and the referral it belongs to."""

    reference: str
    rule_id: str
    title: str
    reason: str
    owner_role: str
    subject: str
    deadline: datetime
    referral: int


def _day(at: datetime) -> str:
    return f"{localtime(at):%-d %b %Y}"


def _name(r: m.PanelReferral) -> str:
    return f"{r.kind} {r.reference}"


def panel_due(actor: Actor, now: datetime) -> list[PanelDue]:
    """Referrals the actor may see with no advice after the panel's due date, and advice with
    no answer after the referring officer's, oldest deadline first."""
    visible = visible_referrals(actor)
    advised = m.PanelAdvice.objects.filter(referral=OuterRef("pk"))
    late_referrals = visible.filter(answer_due__lt=now).exclude(Exists(advised))
    answered = m.AdviceAnswer.objects.filter(advice=OuterRef("pk"))
    late_advice = (
        m.PanelAdvice.objects.filter(referral__in=visible, answer_due__lt=now)
        .exclude(Exists(answered))
        .select_related("referral")
    )
    referrals = [
        PanelDue(
            reference=r.reference,
            rule_id=PANEL_ADVICE_RULE,
            title="Advice from the advisory panel",
            reason=f"{r.referred_by} referred {_name(r)} to the panel on {_day(r.referred_at)}; "
            "no advice is recorded yet",
            owner_role=UserRole.PANEL_MEMBER.value,
            subject=f"Panel referral {r.pk}",
            deadline=r.answer_due,
            referral=r.pk,
        )
        for r in late_referrals.order_by("answer_due", "pk")
    ]
    advice = [
        PanelDue(
            reference=a.referral.reference,
            rule_id=PANEL_ANSWER_RULE,
            title="Answer the advisory panel's advice",
            reason=f"{a.by} gave the panel's advice on {_name(a.referral)} on {_day(a.at)}; "
            f"{a.referral.referred_by}, who referred it, or a supervisor answers it: accepted or "
            "not, with a reason",
            owner_role=UserRole.REVIEWING_OFFICER.value,
            subject=f"Panel referral {a.referral_id}",
            deadline=a.answer_due,
            referral=a.referral_id,
        )
        for a in late_advice.order_by("answer_due", "pk")
    ]
    return list(heapq.merge(referrals, advice, key=lambda d: d.deadline))
