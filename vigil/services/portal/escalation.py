"""A report from the portal left unanswered climbs the escalation chain like any overdue item
(issue 13: "unanswered reports are overdue items like any other"). The engine that sends the
steps is ``vigil.services.casework.escalation``; this module says which reports are due, whose
they are and who may know of them (``escalation_item.Due``).

What climbs: every submission whose answer (``answer_due``) is past, but for a family concern
that names a case whose checklist holds it already (the pack's rule anchored on
``portal_concern``, "concerns sent through the public portal answered", unmet on that case):
that one climbs as the case's unmet item, from the case's owner, and is not sent twice. So a
drugging report, a concern that matched no case, a report recorded as a case or as a record of
its own, and a concern on a case whose checklist does not hold it (a pack without the rule)
climb from here.

One item per wait: its key is ``portal-report:<id>:<answer due>``, so each step is sent once
while the reporter waits, and when they write again after a reply the new wait climbs afresh. A
reply, or closing the report, clears ``answer_due``: nothing further climbs. The item's title is
in fixed words (the report's id and the day it came); nothing the reporter wrote, nor its kind,
is in a notification, the audit trail or an e-mail.

Whom it reaches:
- ``owner``: the officer who last handled the report (the audit trail records every opening
  that opened it, reply, closing and recording of it, in order), if they may still triage
  reports; else whom an earlier step reached as its owner; else, like an alert, the active user
  who may triage it (``triage_reports``, and shown it by the queue) with the fewest reports
  waiting as theirs (those they last handled or were sent as owner), ties to the first username.
- ``owner_supervisor``: that owner's supervisor.
- ``unit_duty_inspector``: nobody. A report is on no command unit, so the chain ends there and
  the step is audited, once, as not sent.
Need-to-know: a step reaches only someone who may triage reports and to whom the queue shows
this one (``queue.known_submissions``: a family's concern about a restricted case is shown only
to those named on the case); anyone else is passed over, up the chain, as for cases.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from functools import partial

from django.db.models import Q

from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain.access import Permission, allows
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.records import models as m
from vigil.services.casework.escalation_item import Due
from vigil.services.casework.policy import current_pack
from vigil.services.portal.queue import WAITING, known_submissions

#: What handling a report is, as the audit trail records it (an opening only if it opened it).
HANDLING = (
    Event.PORTAL_OPENED,
    Event.PORTAL_REPLIED,
    Event.PORTAL_CLOSED,
    Event.PORTAL_RECORDED_AS_CASE,
    Event.PORTAL_MADE_RECORD,
)
TRIAGING_ROLES = tuple(r.value for r in UserRole if allows(r, Permission.TRIAGE_REPORTS))


def portal_due(now: datetime) -> list[Due]:
    """Every report whose answer is overdue at ``now`` and on no case's checklist, as an item
    to escalate, the longest overdue first."""
    late = list(
        m.Submission.objects.filter(answer_due__lt=now)
        .exclude(_on_a_checklist())
        .order_by("answer_due", "pk")
    )
    owners = _owners(late) if late else {}
    found = []
    for s in late:
        assert s.answer_due is not None  # answer_due__lt: never null
        due = f"{s.answer_due.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
        found.append(
            Due(
                key=f"portal-report:{s.pk}:{due}",
                title=f"Answer the reporter of portal report {s.pk} "
                f"(received {s.received_on:%-d %b %Y})",
                deadline=s.answer_due,
                owner=owners.get(s.pk, ""),
                may_know=partial(knows, s.pk),
                submission=s.pk,
            )
        )
    return found


def knows(submission: int, actor: Actor) -> bool:
    """Whether ``actor`` may know that report ``submission`` exists (need-to-know)."""
    return known_submissions(actor).filter(pk=submission).exists()


def _on_a_checklist() -> Q:
    """Family concerns on a case whose checklist holds them as an unmet item."""
    rules = [rule.id for rule in current_pack().checklist if rule.anchor == "portal_concern"]
    held = m.ChecklistItem.objects.filter(rule_id__in=rules).values("case__reference")
    return Q(kind=m.Submission.Kind.FAMILY_CONCERN, case_reference__in=held)


def _owners(late: list[m.Submission]) -> dict[int, str]:
    """Whose each late report is (the module's docstring): its last handler, else whom an
    earlier step reached as owner, else the officer with the fewest reports waiting, the
    reports shared out in the order they fell due."""
    officers = dict(
        m.Profile.objects.filter(role__in=TRIAGING_ROLES, user__is_active=True)
        .order_by("user__username")
        .values_list("user__username", "role")
    )
    waiting = set(m.Submission.objects.filter(WAITING).values_list("pk", flat=True))
    handled, told = _last_handlers(waiting), _told_as_owner(waiting)
    owners: dict[int, str] = {}
    for pk in waiting:
        who = next((name for name in (handled.get(pk), told.get(pk)) if name in officers), None)
        if who is not None:
            owners[pk] = who
    load = Counter(owners.values())
    unowned = [s.pk for s in late if s.pk not in owners]
    known = (
        {  # one query an officer, not one an officer and a report
            name: set(
                known_submissions(Actor(name, UserRole(role)))
                .filter(pk__in=unowned)
                .values_list("pk", flat=True)
            )
            for name, role in officers.items()
        }
        if unowned
        else {}
    )
    for s in late:
        if s.pk in owners:
            continue
        able = [name for name in officers if s.pk in known[name]]
        if able:
            owners[s.pk] = min(able, key=lambda name: (load[name], name))
            load[owners[s.pk]] += 1
    return owners


def _last_handlers(ids: set[int]) -> dict[int, str]:
    """Who last handled each report, by the audit trail."""
    rows = (
        AuditEntry.objects.filter(
            target_type="portal",
            target_ref__in=[str(pk) for pk in ids],
            event__in=[event.code for event in HANDLING],
        )
        .order_by("seq")
        .values_list("target_ref", "actor", "event", "payload")
    )
    last: dict[int, str] = {}
    for ref, actor, event, payload in rows:
        if event != Event.PORTAL_OPENED.code or json.loads(payload).get("opened") is True:
            last[int(ref)] = actor
    return last


def _told_as_owner(ids: set[int]) -> dict[int, str]:
    """Whom the latest step sent to a report's owner reached."""
    rows = (
        m.Notification.objects.filter(submission__in=ids, target="owner")
        .order_by("sent_at", "pk")
        .values_list("submission", "recipient")
    )
    return {pk: recipient for pk, recipient in rows if pk is not None}
