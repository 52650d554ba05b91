"""Escalation: an overdue checklist item climbs owner -> supervisor -> duty inspector, once
per step, on schedule (a frozen clock), each step audited; need-to-know holds on the way."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import SYSTEM, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Action, UserRole
from vigil.records import models as m


@pytest.fixture
def chain(officer, sergeant):
    """officer1 supervised by sergeant1; unit EA whose duty inspector is inspector1; one case
    of officer1's in EA, with its earliest deadline."""
    inspector = make_user("inspector1", UserRole.REVIEWING_OFFICER)
    services.set_supervisor(SYSTEM, officer.username, sergeant.username)
    square = [[0.0, 51.45], [0.2, 51.45], [0.2, 51.6], [0.0, 51.6], [0.0, 51.45]]
    outline = json.dumps({"type": "Polygon", "coordinates": [square]})
    m.Unit.objects.create(
        code="EA", name="East Area", outline=outline, position=0, loaded_at=timezone.now()
    )
    services.set_duty_inspector(SYSTEM, "EA", inspector.username)
    services.open_case(officer, "ESC-1", suspicious_report())
    m.Case.objects.filter(reference="ESC-1").update(unit="EA")
    first = m.ChecklistItem.objects.filter(deadline__isnull=False).order_by("deadline").first()
    assert first is not None and first.deadline is not None
    return first


def sent_to(item: m.ChecklistItem) -> list[tuple[int, str, str]]:
    rows = m.Notification.objects.filter(title=item.title, case_reference="ESC-1")
    return sorted((n.step, n.target, n.recipient) for n in rows)


def audited(code: str) -> list[dict]:
    return [json.loads(e.payload) for e in AuditEntry.objects.filter(event=code).order_by("seq")]


def test_nothing_is_sent_before_the_deadline(chain):
    run = services.escalate(chain.deadline - timedelta(minutes=1))
    assert run.sent == 0 and not m.Notification.objects.exists()


def test_each_step_reaches_the_next_person_up_on_schedule_once(chain):
    at = chain.deadline
    services.escalate(at + timedelta(hours=1))
    assert sent_to(chain) == [(0, "owner", "officer1")]
    services.escalate(at + timedelta(hours=2))  # nothing new is due: nothing is sent again
    assert sent_to(chain) == [(0, "owner", "officer1")]
    services.escalate(at + timedelta(hours=25))
    assert sent_to(chain)[-1] == (1, "owner_supervisor", "sergeant1")
    services.escalate(at + timedelta(hours=73))
    assert sent_to(chain)[-1] == (2, "unit_duty_inspector", "inspector1")
    steps = [p for p in audited("escalation.sent") if p["item"] == chain.title]
    assert [(p["step"], p["to"]) for p in steps] == [
        (0, "officer1"),
        (1, "sergeant1"),
        (2, "inspector1"),
    ]


def test_the_email_names_the_reference_and_the_item_and_no_person(chain):
    m.Profile.objects.filter(user__username="sergeant1").update()
    user = m.Profile.objects.get(user__username="sergeant1").user
    user.email = "sergeant1@example.invalid"
    user.save()
    services.escalate(chain.deadline + timedelta(hours=25))
    to_sergeant = [e for e in mail.outbox if e.to == ["sergeant1@example.invalid"]]
    assert to_sergeant and "ESC-1" in to_sergeant[0].body
    assert "Alex Testperson" not in to_sergeant[0].body
    assert m.Notification.objects.get(recipient="sergeant1", title=chain.title).emailed


def test_a_restricted_case_goes_past_a_supervisor_who_may_not_see_it(chain, sergeant):
    services.restrict_case(sergeant, "ESC-1", ["officer1", "inspector1", "sergeant1"])
    services.unname_from_case(sergeant, "ESC-1", "sergeant1")
    services.escalate(chain.deadline + timedelta(hours=25))
    assert sent_to(chain) == [(1, "unit_duty_inspector", "inspector1")]
    (step,) = [p for p in audited("escalation.sent") if p["item"] == chain.title]
    assert step["passed_over"] == [{"as_the": "owner_supervisor", "user": "sergeant1"}]


def test_a_step_nobody_entitled_can_receive_is_audited_as_not_sent(chain, investigator):
    services.restrict_case(investigator, "ESC-1", ["officer1"])  # names the investigator too
    run = services.escalate(chain.deadline + timedelta(hours=25))
    assert sent_to(chain) == []
    assert run.not_sent >= 1
    assert [p["step"] for p in audited("escalation.not_sent") if p["item"] == chain.title] == [1]
    again = services.escalate(chain.deadline + timedelta(hours=26))  # tried again, not audited
    assert again.not_sent == run.not_sent and again.sent == 0
    assert [p["step"] for p in audited("escalation.not_sent") if p["item"] == chain.title] == [1]


def test_the_chain_of_command_is_set_by_an_administrator_only(officer, sergeant):
    with pytest.raises(services.Forbidden):
        services.set_supervisor(sergeant, officer.username, sergeant.username)
    with pytest.raises(services.Invalid):
        services.set_supervisor(SYSTEM, officer.username, officer.username)
    with pytest.raises(services.NotFound):
        services.set_supervisor(SYSTEM, officer.username, "nobody-here")
    with pytest.raises(services.NotFound):
        services.set_duty_inspector(SYSTEM, "NOPE", sergeant.username)


def test_the_recipient_finds_the_step_on_their_dashboard(chain, sergeant):
    services.escalate(chain.deadline + timedelta(hours=25))
    board = services.dashboard(sergeant, face="test")
    assert [(r.reference, r.title, r.as_the) for r in board.escalated.rows] == [
        ("ESC-1", chain.title, "owner_supervisor")
    ]
    officer_board = services.dashboard(services.actor_for("officer1"), face="test")
    assert all(r.as_the == "owner" for r in officer_board.escalated.rows)


def test_an_overdue_action_reaches_its_named_owner_first(chain, officer, investigator):
    """The action's owner is named on it: the first step is theirs, not the role's last
    writer's."""
    deadline = timezone.now() + timedelta(days=1)
    services.raise_action(
        officer,
        "ESC-1",
        Action(
            ref="A-9",
            kind="trace",
            title="Trace the caller",
            owner=investigator.username,
            deadline=deadline,
            history=[{"state": "raised", "at": timezone.now(), "by": officer.username}],
        ),
    )
    assert not m.ChecklistItem.objects.filter(rule_id="action_on_time").exists()  # not yet late
    services.escalate(deadline + timedelta(hours=1))  # time alone made it overdue
    item = m.ChecklistItem.objects.get(case__reference="ESC-1", rule_id="action_on_time")
    assert item.subject == "A-9"
    rows = m.Notification.objects.filter(case_reference="ESC-1", title=item.title)
    assert [(n.target, n.recipient) for n in rows] == [("owner", investigator.username)]


def test_unanswered_panel_advice_climbs_from_the_referring_officer(chain, sergeant):
    """The panel's advice must be answered by the officer who referred the case: past its due
    date it reaches them, then their supervisor's step, like any overdue item; an answer stops
    it."""
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    services.set_supervisor(SYSTEM, sergeant.username, "inspector1")
    referral = services.refer_to_panel(sergeant, "ESC-1", "Was the category right?")
    advice = services.record_advice(panel, referral.id, "Ask for the phone's records.").advice[0]
    due = advice.answer_due

    def steps() -> list[tuple[int, str, str]]:
        rows = m.Notification.objects.filter(item=f"panel-advice:{advice.id}")
        return sorted((n.step, n.target, n.recipient) for n in rows)

    services.escalate(due - timedelta(minutes=1))
    assert steps() == []
    services.escalate(due + timedelta(hours=1))
    assert steps() == [(0, "owner", "sergeant1")]
    services.escalate(due + timedelta(hours=25))
    assert steps()[-1] == (1, "owner_supervisor", "inspector1")
    sent = [p for p in audited("escalation.sent") if "advisory panel" in p["item"]]
    assert [(p["step"], p["to"]) for p in sent] == [(0, "sergeant1"), (1, "inspector1")]
    services.answer_advice(sergeant, advice.id, True, "We will ask the network.")
    services.escalate(due + timedelta(hours=80))
    assert len(steps()) == 2  # answered: it climbs no further
