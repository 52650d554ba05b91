"""A report from the portal left unanswered climbs the escalation chain (issue 13, item 3): from
the officer who last handled it (else the least loaded), to their supervisor, and there it
ends (a report is on no command unit); only to people who may know the report exists; once per
step; never with a word of what the reporter wrote. A frozen clock; synthetic people only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from tests.triage import ANSWERS, install_team_key, make_report, reporter_message
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.portal.named import recheck

DUE = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)  # the answer's due time of every report here
MARKER = "quillfeather-9d41"  # in what the reporter wrote, never in a notification or e-mail


@pytest.fixture
def team(db, settings):
    """Two safeguarding officers supervised by a third, each with an e-mail address."""
    install_team_key(settings)
    people = {
        name: make_user(name, UserRole.SAFEGUARDING_OFFICER)
        for name in ("safeguarding1", "safeguarding2", "sg-lead")
    }
    for name in people:
        user = m.Profile.objects.get(user__username=name).user
        user.email = f"{name}@example.invalid"
        user.save()
        if name != "sg-lead":
            services.set_supervisor(SYSTEM, name, "sg-lead")
    return people


def late_report(settings, **fields) -> m.Submission:
    answers = {**ANSWERS, "what_happened": f"He gave me a drink ({MARKER})."}
    return make_report(settings, answers=answers, answer_due=DUE, **fields).submission


def handled_by(settings, officer, due: datetime = DUE) -> m.Submission:
    """A report the officer answered, to which the reporter wrote again (unanswered since)."""
    report = make_report(settings, received_on=date(2026, 6, 1))
    services.reply_to_reporter(officer, report.submission.pk, f"We read it ({MARKER}).")
    reporter_message(report, f"Any news? ({MARKER})")
    m.Submission.objects.filter(pk=report.submission.pk).update(answer_due=due)
    return report.submission


def steps(submission: m.Submission) -> list[tuple[int, str, str]]:
    rows = m.Notification.objects.filter(submission=submission)
    return sorted((n.step, n.target, n.recipient) for n in rows)


def audited(code: str) -> list[dict]:
    rows = AuditEntry.objects.filter(event=code).order_by("seq")
    return [{"target": e.target_ref, **json.loads(e.payload)} for e in rows]


def test_it_reaches_the_last_handler_then_the_supervisor_once_each_then_stops(team, settings):
    report = handled_by(settings, team["safeguarding2"])  # safeguarding1 is the less loaded
    services.escalate(DUE - timedelta(minutes=1))
    assert steps(report) == []
    services.escalate(DUE + timedelta(hours=1))
    assert steps(report) == [(0, "owner", "safeguarding2")]
    second = services.escalate(DUE + timedelta(hours=2))
    assert second.sent == 0 and steps(report) == [(0, "owner", "safeguarding2")]
    services.escalate(DUE + timedelta(hours=25))
    assert steps(report)[-1] == (1, "owner_supervisor", "sg-lead")
    (n,) = m.Notification.objects.filter(submission=report, step=0)
    assert n.case_reference == "" and n.item.startswith(f"portal-report:{report.pk}:")
    assert n.title == f"Answer the reporter of portal report {report.pk} (received 1 Jun 2026)"
    assert n.emailed
    sent = audited("escalation.portal_sent")
    assert [(p["target"], p["step"], p["to"]) for p in sent] == [
        (str(report.pk), 0, "safeguarding2"),
        (str(report.pk), 1, "sg-lead"),
    ]
    # a report is on no command unit: the last step is audited as not sent, once
    for hours in (73, 74):
        run = services.escalate(DUE + timedelta(hours=hours))
        assert run.sent == 0 and run.not_sent == 1
    (ended,) = audited("escalation.portal_not_sent")
    assert (ended["step"], ended["to"]) == (2, "unit_duty_inspector")
    services.reply_to_reporter(team["safeguarding2"], report.pk, "We are on it.")
    before = AuditEntry.objects.count()
    assert services.escalate(DUE + timedelta(days=9)) == services.EscalationRun(0, 0, 0)
    assert len(steps(report)) == 2 and AuditEntry.objects.count() == before


def test_a_new_wait_after_a_reply_climbs_afresh(team, settings):
    report = handled_by(settings, team["safeguarding1"])
    services.escalate(DUE + timedelta(hours=1))
    services.reply_to_reporter(team["safeguarding2"], report.pk, "Thank you.")
    again = DUE + timedelta(days=3)
    m.Submission.objects.filter(pk=report.pk).update(answer_due=again)  # they wrote again
    services.escalate(again + timedelta(hours=1))
    assert steps(report) == [(0, "owner", "safeguarding1"), (0, "owner", "safeguarding2")]


def test_nobody_handled_it_the_least_loaded_officer_receives_it(team, settings):
    handled_by(settings, team["safeguarding1"], due=DUE + timedelta(days=30))
    first = late_report(settings)
    second = late_report(settings)
    third = late_report(settings)
    services.escalate(DUE + timedelta(hours=1))
    # safeguarding1 has one waiting already; sg-lead (a safeguarding officer too) and
    # safeguarding2 none: shared out in turn, ties to the first username
    assert [steps(s)[0][2] for s in (first, second, third)] == [
        "safeguarding2",
        "sg-lead",
        "safeguarding1",
    ]
    services.escalate(DUE + timedelta(hours=25))  # the owner stays the same: no new load
    assert steps(first)[-1] == (1, "owner_supervisor", "sg-lead")


def test_a_supervisor_who_may_not_triage_is_passed_over_and_it_is_audited(team, settings, sergeant):
    services.set_supervisor(SYSTEM, "safeguarding1", sergeant.username)
    report = handled_by(settings, team["safeguarding1"])
    run = services.escalate(DUE + timedelta(hours=25))
    assert steps(report) == []  # the owner's step is past: the supervisor's is due
    assert run.not_sent == 1
    (skipped,) = audited("escalation.portal_not_sent")
    assert skipped["target"] == str(report.pk) and skipped["to"] == "owner_supervisor"
    assert skipped["passed_over"] == [
        {"as_the": "owner_supervisor", "user": "sergeant1"},
        {"as_the": "unit_duty_inspector", "user": ""},
    ]
    assert not m.Notification.objects.filter(recipient="sergeant1").exists()
    assert services.dashboard(sergeant, face="test").escalated.count == 0


def test_a_concern_on_a_restricted_case_reaches_only_those_named(team, settings, officer, sergeant):
    """A family's concern naming a restricted case whose checklist does not hold it (made
    straight in the store): safeguarding1, not named, would be first by name and is never
    told, not even as safeguarding2's supervisor."""
    services.open_case(officer, "D-9", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "D-9", ["safeguarding2"])
    services.set_supervisor(SYSTEM, "safeguarding2", "safeguarding1")
    concern = late_report(settings, kind="family_concern", case_reference="D-9")
    services.escalate(DUE + timedelta(hours=1))
    services.escalate(DUE + timedelta(hours=25))
    assert steps(concern) == [(0, "owner", "safeguarding2")]
    assert not m.Notification.objects.filter(recipient="safeguarding1").exists()
    (refused,) = audited("escalation.portal_not_sent")
    assert {"as_the": "owner_supervisor", "user": "safeguarding1"} in refused["passed_over"]
    assert all(MARKER not in json.dumps(p) for p in audited("escalation.portal_sent"))


def test_a_concern_the_cases_checklist_holds_climbs_as_the_cases_item_only(team, settings, officer):
    services.open_case(officer, "D-7", suspicious_report(), known_at=T0)
    concern = late_report(settings, kind="family_concern", case_reference="D-7")
    with transaction.atomic():
        recheck("D-7", DUE)  # as the portal does when a concern naming the case comes
    assert m.ChecklistItem.objects.filter(
        case__reference="D-7", rule_id="portal_concern_answered"
    ).exists()
    services.escalate(DUE + timedelta(hours=1))  # both the case's item and the answer are late
    assert steps(concern) == []
    on_the_case = m.Notification.objects.filter(case_reference="D-7", item__contains=":portal_")
    assert on_the_case.exists()


def test_the_recipients_dashboard_shows_the_step_while_they_may_know_of_the_report(
    team, settings, officer, sergeant
):
    report = late_report(settings)
    services.escalate(DUE + timedelta(hours=1))
    (row,) = services.dashboard(team["safeguarding1"], face="test").escalated.rows
    assert (row.submission, row.reference, row.as_the) == (report.pk, "", "owner")
    assert MARKER not in row.model_dump_json()
    for other in ("safeguarding2", "sg-lead"):
        assert services.dashboard(team[other], face="test").escalated.count == 0
    assert [n.submission_id for n in services.notifications_for(team["safeguarding1"])] == [
        report.pk
    ]
    # recorded as a restricted case they are not named on: the step is theirs no more
    services.open_case(officer, "R-1", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "R-1", [])
    m.Submission.objects.filter(pk=report.pk).update(case_reference="R-1")
    assert services.dashboard(team["safeguarding1"], face="test").escalated.count == 0
    assert services.notifications_for(team["safeguarding1"]) == []


def test_the_email_says_only_the_title_and_to_sign_in(team, settings):
    report = handled_by(settings, team["safeguarding2"])
    services.escalate(DUE + timedelta(hours=25))
    by_address = {e.to[0]: e for e in mail.outbox}
    assert set(by_address) == {"sg-lead@example.invalid"}  # the owner's step is past
    email = by_address["sg-lead@example.invalid"]
    assert f"portal report {report.pk}" in email.body and "Sign in to Vigil" in email.body
    for word in (MARKER, "drink", "drugging", "Drugging", "@quietfox_test", "07700", "case"):
        assert word not in email.body + email.subject
