"""Escalation: an overdue item climbs the chain the policy pack gives.

What climbs: every unmet checklist item past its deadline (which covers referrals to other
teams, the concerns of family and friends, and actions past their own deadlines), the advisory
panel's advice left unanswered past its due date (``readmodels.panel``), and the reports from
the public portal whose answer is overdue (``vigil.services.portal.escalation``, which says
whose they are and who may know of them). Each is an ``escalation_item.Due``: this module
knows nothing of where an item comes from beyond what that carries.

The pack's ``escalation:`` says when each step is due after an item's deadline and whom it
reaches (``vigil.policy.escalation``); this module finds the person and tells them, once per
step, in the app (a ``Notification`` row, shown on their dashboard) and by e-mail through
Django's e-mail backend where they have an address. Each step sent, and each step that could
not be sent, is audited in the same transaction.

Whom a step reaches:
- ``owner``: for the panel's advice, the officer who referred the case or series; for an item
  about an action (``action_on_time``), the action's named owner; for
  any other item, the user of the item's owner role who last recorded facts on the case; with
  none, the user who opened it.
- ``owner_supervisor``: that owner's supervisor (``Profile.supervisor``).
- ``unit_duty_inspector``: the duty inspector of the case's command unit, else of the unit
  above it, up to the force (a report from the portal is on no unit: its chain ends before).
Need-to-know holds: a step never reaches someone who may not see the case (a restricted case
names its readers), or know of the portal's report; it goes on up the chain instead, each
place passed over named in the step's audit row, and if nobody above may know of it the step
is audited as not sent, once (a later run tries it again, so a duty inspector named since
receives it, but does not audit it again). The e-mail names only the case's reference and the
item's title (for a report, the title alone), never a person nor anything a reporter wrote.

Run it every few minutes (``vigil escalate``, from cron or a systemd timer); it is idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import ACTION_DONE, ActionState
from vigil.policy import escalation_step
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.access.users import actor_for
from vigil.services.casework.escalation_item import Due
from vigil.services.casework.policy import current_pack
from vigil.services.casework.unit import reevaluate_checklist
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound
from vigil.services.portal.escalation import portal_due
from vigil.services.portal.queue import known_submissions

ESCALATOR = "system:escalation"  # the audit trail's actor for every step
CHAIN = ("owner", "owner_supervisor", "unit_duty_inspector")
TIMED_BY_ACTIONS = ("action_on_time",)  # rules that time alone makes unmet


@dataclass(frozen=True)
class EscalationRun:
    """What one run did: steps sent (in the app; ``emailed`` of them by e-mail too), and steps
    due that nobody entitled to know of the item could receive."""

    sent: int
    emailed: int
    not_sent: int


def escalate(now: datetime | None = None) -> EscalationRun:
    """Send every step now due and not yet sent, on every case and report from the portal (a
    system job: it sees the whole store, and tells each person only of what they may know)."""
    now = now or utcnow()
    steps = current_pack().escalation
    if not steps:
        return EscalationRun(0, 0, 0)
    _catch_up(now)
    items = sorted(
        [*_checklist_due(now), *_advice_due(now), *portal_due(now)], key=lambda d: d.deadline
    )
    done = _sent(item.key for item in items)
    refused = _not_sent(items)
    sent = emailed = not_sent = 0
    for item in items:
        step = escalation_step(item.deadline, now, steps)
        if step is None:
            continue
        index = steps.index(step)
        if (item.key, index) in done:
            continue
        outcome = _send(item, index, step.to, now, (item.key, index) in refused)
        sent += outcome is not None
        emailed += bool(outcome)
        not_sent += outcome is None
    return EscalationRun(sent, emailed, not_sent)


def _on_case(
    key: str, title: str, deadline: datetime, owner: str, case: m.Case, cases: tuple[int, ...]
) -> Due:
    """An item on ``case`` (a series: its first case) that reaches only those who may see
    every one of ``cases``."""

    def sees_them(actor: Actor) -> bool:
        return visible_cases(actor).filter(pk__in=cases).count() == len(set(cases))

    return Due(key, title, deadline, owner, sees_them, case.unit_id, case.reference)


def _checklist_due(now: datetime) -> list[Due]:
    rows = m.ChecklistItem.objects.filter(deadline__lt=now).select_related("case")
    return [
        _on_case(_key(r), r.title, r.deadline, _owner(r), r.case, (r.case_id,))
        for r in rows.order_by("deadline", "pk")
        if r.deadline is not None
    ]


def _advice_due(now: datetime) -> list[Due]:
    """The panel's advice with no answer past its due date: the referring officer's to answer."""
    answered = m.AdviceAnswer.objects.filter(advice=OuterRef("pk"))
    late = (
        m.PanelAdvice.objects.filter(answer_due__lt=now)
        .exclude(Exists(answered))
        .select_related("referral")
        .prefetch_related("referral__cases")
    )
    found = []
    for advice in late.order_by("answer_due", "pk"):
        referral = advice.referral
        cases = tuple(c.case_id for c in referral.cases.all())
        case = m.Case.objects.filter(reference=referral.reference).first()
        if case is None or not cases:
            continue
        title = f"Answer the advisory panel's advice on {referral.kind} {referral.reference}"
        key = f"panel-advice:{advice.pk}"
        owner = referral.referred_by
        found.append(_on_case(key, title, advice.answer_due, owner, case, cases))
    return found


def _catch_up(now: datetime) -> None:
    """Re-evaluate the checklist of each case holding an open action whose own deadline has
    passed since the case last changed: only time made it overdue, so no write has put it among
    the unmet items yet."""
    pending = [state.value for state in ActionState if state not in ACTION_DONE]
    late = set(
        m.Action.objects.filter(deadline__lt=now, state__in=pending).values_list("case", "ref")
    )
    listed = set(
        m.ChecklistItem.objects.filter(rule_id__in=TIMED_BY_ACTIONS).values_list("case", "subject")
    )
    for case in m.Case.objects.filter(pk__in={case for case, _ in late - listed}):
        with transaction.atomic():
            reevaluate_checklist(case, now)


def set_supervisor(actor: Actor, username: str, supervisor: str) -> None:
    """Record who supervises ``username`` ('' for nobody): the second step of escalation."""
    require(actor, Permission.MANAGE_USERS)
    if supervisor == username:
        raise Invalid("supervisor", "a user cannot be their own supervisor")
    if supervisor and not m.Profile.objects.filter(user__username=supervisor).exists():
        raise NotFound("supervisor", f"there is no Vigil user '{supervisor}'")
    with transaction.atomic():
        profile = m.Profile.objects.select_for_update().filter(user__username=username).first()
        if profile is None:
            raise NotFound("username", f"there is no Vigil user '{username}'")
        payload = {"supervisor": supervisor or "nobody", "was": profile.supervisor or "nobody"}
        profile.supervisor = supervisor
        profile.save(update_fields=["supervisor"])
        audit.record(actor.username, Event.USER_SUPERVISOR_SET, "user", username, payload)


def set_duty_inspector(actor: Actor, unit: str, username: str) -> None:
    """Record the duty inspector of a command unit ('' for nobody): the last step."""
    require(actor, Permission.MANAGE_USERS)
    if username and not m.Profile.objects.filter(user__username=username).exists():
        raise NotFound("username", f"there is no Vigil user '{username}'")
    with transaction.atomic():
        row = m.Unit.objects.select_for_update().filter(code=unit).first()
        if row is None:
            raise NotFound("unit", f"there is no command unit '{unit}'")
        payload = {"inspector": username or "nobody", "was": row.duty_inspector or "nobody"}
        row.duty_inspector = username
        row.save(update_fields=["duty_inspector"])
        audit.record(actor.username, Event.UNIT_DUTY_INSPECTOR_SET, "unit", unit, payload)


def notifications_to(actor: Actor) -> QuerySet[m.Notification]:
    """Every step that reached ``actor``, newest first, on what they may still know of: cases
    they may see, and reports from the portal the queue still shows them."""
    on_cases = Q(case_reference__in=visible_cases(actor).values("reference"))
    on_reports = Q(submission__in=known_submissions(actor))
    rows = m.Notification.objects.filter(on_cases | on_reports, recipient=actor.username)
    return rows.order_by("-sent_at", "-pk")


def notifications_for(actor: Actor, limit: int = 20) -> list[m.Notification]:
    """The latest ``limit`` of ``notifications_to``."""
    return list(notifications_to(actor)[:limit])


def _key(item: m.ChecklistItem) -> str:
    return f"checklist:{item.case.reference}:{item.rule_id}:{item.subject}"[:200]


def _sent(keys: Iterable[str]) -> set[tuple[str, int]]:
    wanted = set(keys)
    rows = m.Notification.objects.filter(item__in=wanted).values_list("item", "step")
    return {(item, step) for item, step in rows}


def _not_sent(items: list[Due]) -> set[tuple[str, int]]:
    """The (item, step) pairs already audited as not sent (to audit each once)."""
    codes = {item.events[1].code for item in items}
    refs = {item.target[1] for item in items}
    rows = AuditEntry.objects.filter(event__in=codes, target_ref__in=refs).values_list("payload")
    said = (json.loads(payload) for (payload,) in rows)
    return {(p["key"], p["step"]) for p in said if "key" in p}


def _send(item: Due, index: int, target: str, now: datetime, said: bool) -> bool | None:
    """Send one step (True: by e-mail too; False: in the app only); None if nobody up the
    chain from ``target`` may know of the item (audited unless ``said`` already). Each place
    passed over on the way is named in the audit row."""
    kind, ref = item.target
    sent, not_sent = item.events
    passed_over = []
    for candidate in CHAIN[CHAIN.index(target) :]:
        username = _person(candidate, item)
        actor = _actor(username) if username else None
        if actor is not None and item.may_know(actor):
            break
        passed_over.append({"as_the": candidate, "user": username or ""})
    else:
        if not said:
            payload = {"item": item.title, "step": index, "to": target, "key": item.key}
            with transaction.atomic():
                audit.record(ESCALATOR, not_sent, kind, ref, payload | {"passed_over": passed_over})
        return None
    with transaction.atomic():
        row = m.Notification.objects.create(
            recipient=actor.username,
            item=item.key,
            step=index,
            target=candidate,
            case_reference=item.case_reference,
            submission_id=item.submission,
            title=item.title,
            deadline=item.deadline,
            sent_at=now,
        )
        payload = {"item": item.title, "step": index, "to": actor.username, "as_the": candidate}
        audit.record(ESCALATOR, sent, kind, ref, payload | {"passed_over": passed_over})
    emailed = _email(actor.username, item)
    if emailed:
        m.Notification.objects.filter(pk=row.pk).update(emailed=True)
    return emailed


def _person(target: str, item: Due) -> str | None:
    owner = item.owner
    if target == "owner":
        return owner or None
    if target == "owner_supervisor":
        profile = m.Profile.objects.filter(user__username=owner).first() if owner else None
        return (profile.supervisor or None) if profile else None
    return _duty_inspector(item.unit)


def _owner(item: m.ChecklistItem) -> str:
    """The named owner of the action the item is about; else the user of the item's owner
    role who last recorded facts on the case; else its opener."""
    if item.subject:
        named = (
            m.Action.objects.filter(case=item.case, ref=item.subject)
            .exclude(owner="")
            .values_list("owner", flat=True)
            .first()
        )
        if named:
            return named
    role_holders = m.Profile.objects.filter(role=item.owner_role).values("user__username")
    latest = (
        m.Fact.objects.filter(case=item.case, recorded_by__in=role_holders)
        .order_by("-recorded_at", "-pk")
        .values_list("recorded_by", flat=True)
        .first()
    )
    return latest or item.case.opened_by


def _duty_inspector(unit_code: str | None) -> str | None:
    seen: set[str] = set()
    while unit_code and unit_code not in seen:
        seen.add(unit_code)
        unit = m.Unit.objects.filter(code=unit_code).first()
        if unit is None:
            return None
        if unit.duty_inspector:
            return unit.duty_inspector
        unit_code = unit.parent
    return None


def _actor(username: str) -> Actor | None:
    """The active user ``username`` as an actor (their role), or None."""
    try:
        return actor_for(username)
    except NotFound:
        return None


def _email(username: str, item: Due) -> bool:
    """Tell them by e-mail too, if they have an address; the message names the case's
    reference (if it is on a case) and the item's title only. A failure to send leaves the
    in-app step standing."""
    address = m.Profile.objects.filter(user__username=username).values_list(
        "user__email", flat=True
    )
    email = next(iter(address), "")
    if not email:
        return False
    on = f" on case {item.case_reference}" if item.submission is None else ""
    body = (
        f"An item{on} is overdue: {item.title}.\n"
        "Sign in to Vigil to see it. This message is sent because the item is past its "
        "deadline and the policy in force passes it to you."
    )
    try:
        send_mail(f"Overdue{on or ' in Vigil'}", body, None, [email])
    except OSError:
        return False
    return True
