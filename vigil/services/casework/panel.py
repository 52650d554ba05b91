"""The independent advisory panel's review: a supervisor refers a case or a confirmed series to
the panel with a question; a panel member gives advice; the referring officer, or a supervisor,
answers it (accepted or not, with a reason) by a deadline. Each is one transaction with its
audit row; every row is append-only (a new answer supersedes, nothing is deleted).

After Barking the advisory group asked for independent advice embedded in death
investigations, and the inspection found a referral to the murder team that no one answered: so
advice not answered by its deadline, like a referral the panel has not advised on by its own, is
an overdue item beside the checklist's (``vigil.services.readmodels.panel.panel_due``).

**Need-to-know is never passed.** A supervisor refers only what they may see (a series as they
see it). A restricted case goes before the panel only through a panel member named on it: a
referral put to one panel member needs them named on every restricted case it covers; one put
to any panel member needs at least one active panel member named on all of them. Otherwise it
is refused, saying whom to name; naming is the restriction's own business
(``vigil.services.access.restriction``), audited there.

Who answers: the pack's supervisors hold ``refer_to_panel`` (the reviewing officer), and any of
them who may see the referral may answer its advice, the referring officer first among them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.casework.unit import refresh
from vigil.services.clock import utcnow
from vigil.services.errors import Forbidden, Invalid, NotFound
from vigil.services.linkage.series import case_series
from vigil.services.readmodels.panel import (
    NO_SUCH_REFERRAL,
    ReferralShown,
    find_referral,
    panel_referral,
    visible_referrals,
)

ADVICE_WITHIN = timedelta(days=28)
"""How long the panel has to advise, unless the referring officer gives a date."""

ANSWER_WITHIN = timedelta(days=14)
"""How long the referring officer has to answer the panel's advice, from when it is given."""


def _text(value: str, field: str, limit: int, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(field, f"enter {what}")
    if len(text) > limit:
        raise Invalid(field, f"must be {limit:,} characters or fewer")
    return text


def _panel_member(username: str) -> str:
    """``username`` if it is an active panel member's; else Invalid."""
    found = m.Profile.objects.filter(
        user__username=username, user__is_active=True, role=UserRole.PANEL_MEMBER.value
    ).exists()
    if not found:
        raise Invalid("panel_member", f"there is no active panel member '{username}'")
    return username


def _may_reach(cases: list[m.Case], panel_member: str) -> None:
    """Refuse a referral that would show a restricted case to a panel member not named on it."""
    restricted = [c for c in cases if c.restricted]
    if not restricted:
        return
    if panel_member:
        named = m.CaseAccess.objects.filter(case__in=restricted, username=panel_member)
        seen = set(named.values_list("case__reference", flat=True))
        missing = [c.reference for c in restricted if c.reference not in seen]
        if missing:
            raise Invalid(
                "panel_member",
                f"case {', '.join(missing)} is restricted and {panel_member} is not named on it: "
                "name them on it first, or put the question to a panel member who is",
            )
        return
    members = m.Profile.objects.filter(role=UserRole.PANEL_MEMBER.value, user__is_active=True)
    able = set(members.values_list("user__username", flat=True))
    for case in restricted:
        able &= set(m.CaseAccess.objects.filter(case=case).values_list("username", flat=True))
    if not able:
        refs = ", ".join(c.reference for c in restricted)
        raise Invalid(
            "panel_member",
            f"case {refs} is restricted and no panel member is named on it: name one on it "
            "first, and put the question to them",
        )


def _covered(actor: Actor, case: m.Case, series: bool) -> tuple[str, list[m.Case]]:
    """The referral's reference (the case, or the series' name) and the cases it covers: the
    case, or every case of its confirmed series as the actor may see it."""
    if not series:
        return case.reference, [case]
    found = case_series(actor, case)
    if found is None:
        raise Invalid("reference", f"case {case.reference} is in no confirmed series you may see")
    references = [case.reference, *found.others]  # others: the series but the case itself
    rows = m.Case.objects.filter(reference__in=references).order_by("pk")
    return found.name, list(rows)


def _target(referral: m.PanelReferral) -> tuple[str, str]:
    """The audit row's target: the case, or the series by its name ('Series L-1')."""
    if referral.kind == m.PanelReferral.Kind.CASE:
        return "case", referral.reference
    return "series", f"Series {referral.reference}"


def refer_to_panel(
    actor: Actor,
    reference: str,
    question: str,
    *,
    series: bool = False,
    panel_member: str = "",
    answer_due: datetime | None = None,
) -> ReferralShown:
    """Put the case (or, with ``series``, the confirmed series it is in) before the panel with
    ``question``, to ``panel_member`` or to any panel member, the advice due by ``answer_due``
    (``ADVICE_WITHIN`` from now if not given). Each case it covers is evaluated again, so a
    pack rule that requires a referral is met at once."""
    require(actor, Permission.REFER_TO_PANEL)
    question = _text(question, "question", limits.NOTE, "the question for the panel")
    member = _panel_member(panel_member) if panel_member else ""
    now = utcnow()
    due = answer_due or now + ADVICE_WITHIN
    if due.tzinfo is None:
        raise Invalid("answer_due", "needs a time zone")
    if due <= now:
        raise Invalid("answer_due", "must be in the future")
    kind = m.PanelReferral.Kind.SERIES if series else m.PanelReferral.Kind.CASE
    with use_case(actor):  # a hidden or missing case is audited as a probe
        name, cases = _covered(actor, visible_case(actor, reference), series)
        _may_reach(cases, member)
        referral = m.PanelReferral.objects.create(
            kind=kind,
            reference=name,
            question=question,
            referred_by=actor.username,
            referred_at=now,
            panel_member=member,
            answer_due=due,
        )
        m.PanelReferralCase.objects.bulk_create(
            m.PanelReferralCase(referral=referral, case=c) for c in cases
        )
        payload = {
            "referral": referral.pk,
            "cases": [c.reference for c in cases],
            "panel_member": member,
            "answer_due": due.isoformat(),
        }
        audit.record(actor.username, Event.PANEL_REFERRED, *_target(referral), payload, at=now)
        for case in m.Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]):
            refresh(case, now, bump=False)
        return panel_referral(actor, referral.pk)


def record_advice(actor: Actor, referral_id: int, text: str) -> ReferralShown:
    """The panel member's advice on a referral put to them or to any panel member (on cases
    they may see); the referring officer must answer it within ``ANSWER_WITHIN``."""
    require(actor, Permission.ADVISE)
    text = _text(text, "text", limits.NARRATIVE, "your advice")
    now = utcnow()
    with use_case(actor):
        referral = find_referral(actor, referral_id)
        if referral.panel_member not in ("", actor.username):
            raise Forbidden("referral", f"the question was put to {referral.panel_member}")
        advice = m.PanelAdvice.objects.create(
            referral=referral, text=text, by=actor.username, at=now, answer_due=now + ANSWER_WITHIN
        )
        payload = {
            "referral": referral.pk,
            "advice": advice.pk,
            "answer_due": advice.answer_due.isoformat(),
        }
        audit.record(actor.username, Event.PANEL_ADVISED, *_target(referral), payload, at=now)
        return panel_referral(actor, referral.pk)


def answer_advice(actor: Actor, advice_id: int, accepted: bool, reason: str) -> ReferralShown:
    """The answer to the panel's advice, accepted or not, with a reason: by the referring
    officer or another supervisor who may see the referral. A later answer supersedes it."""
    require(actor, Permission.REFER_TO_PANEL)
    reason = _text(reason, "reason", limits.NOTE, "the reason for your answer")
    now = utcnow()
    with use_case(actor):
        visible = visible_referrals(actor).filter(pk=OuterRef("referral_id"))
        advice = (
            m.PanelAdvice.objects.filter(Exists(visible), pk=advice_id)
            .select_related("referral")
            .first()
        )
        if advice is None:
            raise NotFound("advice", NO_SUCH_REFERRAL)
        m.AdviceAnswer.objects.create(
            advice=advice, accepted=accepted, reason=reason, by=actor.username, at=now
        )
        payload = {
            "referral": advice.referral_id,
            "advice": advice.pk,
            "accepted": accepted,
            "reason": reason,
        }
        event = Event.PANEL_ADVICE_ANSWERED
        audit.record(actor.username, event, *_target(advice.referral), payload, at=now)
        return panel_referral(actor, advice.referral_id)
