"""A death's analyst told of a link to a record they may not see (issue 13: "deaths stay the
centre: a report linked to a death alerts the death's analyst").

A record made from a portal report is restricted to the safeguarding team
(``services.portal.records``), so its alert on a death goes to someone named on both, and
while nobody outside the team is named it waits unassigned, seen by the team alone. The
death's analyst must still learn that something links to their death, and nothing more: the
team decides what the reporter's account may give them.

**How they are told: an action on the death**, of the kind ``RESTRICTED_LINK``, allocated to
the analyst ``analyst_for_alert`` would choose for the death alone (a reviewing officer when
there is no analyst; on a restricted death, someone named on it), due ``ASK_WITHIN`` from
the linking. An action, not a new kind of row, because an action already goes where a task
must go: the case page, the owner's dashboard ("My actions"), the API's case document, the
export, the overdue list and escalation up the chain when it is not done
(``action_on_time``). Its title is fixed words and the names of those who hold the record
(``notice_title``); it holds no reference of the record, no reason, weight, person or
identifier of it, and no text that came from it. One per alert: its ref is the alert's id
(``notice_ref``), so linking again never raises a second, whether the alert is new or was
raised before. Written by the one writer of actions (``writers.tasks.upsert_action``) in the
transaction that wrote the links, audited as any action raised (``case.action_raised``, by
``LINKAGE``, naming only the death and the action's ref). The death's version is not moved
(a use case linking that death would otherwise return a version already stale); the case's
ETag changes with its actions all the same (``api.documents``).

Nothing is raised when someone who may see the death may also see the record (the team named
an analyst or a reviewing officer on it, or lifted the restriction): the alert reaches them
as any alert does. A link between two deaths, one restricted, raises none either: a death is
restricted by its own investigators, whose choice it is whom to tell.

The notice is answered with what the holders said (``casework.investigation.answer_notice``,
``answer_alert``: an analyst writes no other casework).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from django.db.models import Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.enums import ActionState, RecordKind, UserRole
from vigil.domain.investigation import RESTRICTED_LINK, Action, ActionStep
from vigil.records import models as m
from vigil.services.access.restriction import lifters
from vigil.services.casework.writers.tasks import upsert_action
from vigil.services.linkage.assignment import analyst_for_alert

CHUNK = 500
LINKAGE = "system:linkage"  # the audit trail's and the action's author of every notice
ASK_WITHIN = timedelta(hours=72)
"""How long the death's analyst has to ask the record's holders (the only default of it)."""
HELD_BY_TEAM = (
    "A record held by the safeguarding team is linked to this death by the linkage engine; "
    "ask the safeguarding team what may be shared"
)
HELD_BY_OTHERS = (
    "A restricted record is linked to this death by the linkage engine; ask those named on it "
    "what may be shared"
)


def notice_ref(alert: m.Alert) -> str:
    """The notice's ref on the death: one per alert."""
    return f"RL-{alert.pk}"


def notice_title(holders: Sequence[str], *, team: bool) -> str:
    """The notice's words: who holds the record, as many names as the title holds."""
    words = HELD_BY_TEAM if team else HELD_BY_OTHERS
    for shown in range(len(holders), 0, -1):
        more = f" and {len(holders) - shown} more" if shown < len(holders) else ""
        title = f"{words} (named on it: {', '.join(holders[:shown])}{more})."
        if len(title) <= limits.ACTION_TITLE:
            return title
    return f"{words}."


def _holders(record: m.Case) -> tuple[list[str], bool]:
    """Whom to ask: the active users named on the record who may lift its restriction, and
    whether it is the safeguarding team's (then only its officers are named; with nobody
    active named on it, the team is asked)."""
    named = lifters(m.CaseAccess.objects.filter(case=record).values_list("username", flat=True))
    team = m.Profile.objects.filter(
        user__username__in=named, role=UserRole.SAFEGUARDING_OFFICER.value
    ).values_list("user__username", flat=True)
    officers = sorted(team)
    return (officers, True) if officers or not named else (named, False)


def _death_and_record(link: m.CaseLink) -> Iterator[tuple[m.Case, m.Case]]:
    """The death and the restricted record other than a death, if the link joins the two."""
    a, b = link.case_a, link.case_b
    for death, record in ((a, b), (b, a)):
        if death.kind == RecordKind.DEATH and record.kind != RecordKind.DEATH and record.restricted:
            yield death, record


def _notice(alert: m.Alert, death: m.Case, record: m.Case, now: datetime) -> Action | None:
    """The notice the death's analyst is owed for ``alert``, or None: raised already, someone
    who may see the death may see the record too, or nobody may see the death to be told."""
    ref = notice_ref(alert)
    if m.Action.objects.filter(case=death, ref=ref).exists():
        return None
    if analyst_for_alert(death, record):
        return None
    owner = analyst_for_alert(death)
    if not owner:
        return None
    holders, team = _holders(record)
    return Action(
        ref=ref,
        kind=RESTRICTED_LINK,
        title=notice_title(holders, team=team),
        owner=owner,
        deadline=now + ASK_WITHIN,
        history=(
            ActionStep(state=ActionState.RAISED, at=now, by=LINKAGE),
            ActionStep(state=ActionState.ALLOCATED, at=now, by=LINKAGE),
        ),
    )


def _restricted_alerts(links: Iterable[m.CaseLink]) -> Iterator[m.Alert]:
    """The unanswered alerts of ``links`` that touch a restricted case, looked up in chunks
    (none at all in a store with no restricted case)."""
    if not m.Case.objects.filter(restricted=True).exists():
        return
    ids = sorted({link.pk for link in links})
    restricted = Q(link__case_a__restricted=True) | Q(link__case_b__restricted=True)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield from (
            m.Alert.objects.filter(restricted, answered=False, link_id__in=chunk)
            .select_related("link__case_a", "link__case_b")
            .order_by("pk")
        )


def tell_death_analysts(links: Iterable[m.CaseLink], now: datetime) -> list[str]:
    """Raise the notice owed on each unanswered alert of ``links`` that joins a death to a
    restricted record; the references of the deaths told. Call in the transaction that wrote
    the links."""
    told: list[str] = []
    for alert in _restricted_alerts(links):
        for death, record in _death_and_record(alert.link):
            action = _notice(alert, death, record, now)
            if action is None:
                continue
            upsert_action(death, action)
            payload = {"action": action.ref}
            audit.record(LINKAGE, Event.ACTION_RAISED, "case", death.reference, payload, at=now)
            told.append(death.reference)
    return told
