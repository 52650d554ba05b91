"""The dashboard: my actions, overdue checklist items, alerts awaiting my answer, referrals
awaiting acceptance, unanswered liaison concerns and my drafts; each with its count and up to
20 rows linking to the case; nothing from a restricted case the user is not named on."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from tests.triage import SECRET_WORDS, make_report
from tests.web.casework import add_casework
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, UserRole
from vigil.records import models as m
from vigil.services.readmodels.dashboard import dashboard


def section(response, anchor: str) -> str:
    html = response.content.decode()
    start = html.index(f'<h2 class="govuk-heading-m" id="{anchor}"')
    end = html.find("<h2", start + 1)
    chunk = html[start : end if end > 0 else None]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chunk)).replace("&#x27;", "'")


@pytest.fixture
def worked(officer, investigator):
    services.open_case(officer, "D-1", suspicious_report(), known_at=T0)
    add_casework(investigator, "D-1", T0, owner="investigator1")
    return "D-1"


def test_signing_in_lands_on_the_dashboard_and_the_root_leads_there(client, officer):
    response = client.post(
        reverse("login"), {"username": "officer1", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 302
    sign_in(client, "officer1")
    assert client.get("/")["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_investigator_sees_their_actions_concerns_referrals_and_overdue_items(client, worked):
    sign_in(client, "investigator1")
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    actions = section(page, "actions")
    assert "My actions (1)" in actions and "Check the caller on police systems" in actions
    assert "Overdue" in actions  # its deadline (2 Jun 2015) has passed
    concerns = section(page, "concerns")
    assert "(1)" in concerns and "Who was he with that night?" in concerns
    referrals = section(page, "referrals")
    assert "(1)" in referrals and "R-1 to Homicide team" in referrals
    overdue = section(page, "overdue")
    assert "A sergeant or above attends" in overdue
    html = page.content.decode()
    assert f'href="{reverse("case-detail", args=["D-1"])}#actions"' in html
    assert f'href="{reverse("case-detail", args=["D-1"])}#liaison"' in html


def test_sections_show_only_to_roles_that_have_a_part_in_them(client, worked):
    sign_in(client, "officer1")
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="actions"' in html and 'id="overdue"' in html and 'id="drafts"' in html
    # a response officer answers no referrals and no alerts
    assert 'id="referrals"' not in html and 'id="alerts"' not in html
    make_user("analyst9", UserRole.ANALYST)
    client.logout()
    sign_in(client, "analyst9")
    html = client.get(reverse("dashboard")).content.decode()
    assert 'id="alerts"' in html and 'id="concerns"' not in html and 'id="drafts"' not in html


def test_an_action_owned_by_someone_else_is_not_mine(client, worked, sergeant):
    sign_in(client, "sergeant1")
    assert "My actions (0)" in section(client.get(reverse("dashboard")), "actions")


def test_a_referral_addressed_to_another_user_is_not_awaiting_me(client, officer, investigator):
    make_user("investigator2", UserRole.INVESTIGATOR)
    services.open_case(officer, "D-2", suspicious_report(), known_at=T0)
    add_casework(investigator, "D-2", T0)
    board = dashboard(investigator, face="test")
    assert [r.ref for r in board.referrals.rows] == ["R-1"]
    # the same referral, had it named investigator2, waits for them alone
    m.Referral.objects.filter(ref="R-1").update(to_team="investigator2")
    assert dashboard(investigator, face="test").referrals.count == 0
    other = services.actor_for("investigator2")
    assert dashboard(other, face="test").referrals.count == 1


def test_alerts_awaiting_my_answer_link_to_the_alert(client, linked_pair):
    sign_in(client, "analyst1")
    page = client.get(reverse("dashboard"))
    alerts = section(page, "alerts")
    assert "(1)" in alerts and "L-1" in alerts and "L-2" in alerts
    assert f'href="{reverse("alert-detail", args=[linked_pair.pk])}"' in page.content.decode()


def test_my_drafts_are_listed_until_finished(client, officer):
    services.open_case(officer, "D-3", DeathReport.model_validate({"deceased": {"age": 30}}))
    services.open_case(officer, "D-4", suspicious_report(), known_at=T0)
    sign_in(client, "officer1")
    drafts = section(client.get(reverse("dashboard")), "drafts")
    assert "My draft reports (1)" in drafts and "D-3" in drafts and "D-4" not in drafts


def test_counts_are_whole_and_rows_stop_at_twenty(client, officer, sergeant):
    for n in range(3):  # each suspicious case has 8 overdue items
        services.open_case(officer, f"D-{n}", suspicious_report(), known_at=T0)
    sign_in(client, "sergeant1")
    page = client.get(reverse("dashboard"))
    overdue = section(page, "overdue")
    assert "Overdue checklist items (24)" in overdue
    assert "The first 20 of 24 are shown." in overdue
    assert len(re.findall(r"#checklist\"", page.content.decode())) == 20
    # the rows are those of overdue_items, oldest first
    board = dashboard(sergeant, face="test")
    assert list(board.overdue.rows) == services.overdue_items(sergeant)[:20]


def test_nothing_leaks_from_a_restricted_case(client, worked, sergeant):
    services.restrict_case(sergeant, worked)  # named: sergeant1 alone
    sign_in(client, "investigator1")
    page = client.get(reverse("dashboard"))
    html = page.content.decode()
    assert "D-1" not in html
    for anchor in ("actions", "overdue", "referrals", "concerns"):
        assert "(0)" in section(page, anchor)


def test_a_report_escalated_to_me_links_to_its_triage_page(client, db, settings):
    """An unanswered report from the portal that escalation passed to a safeguarding officer
    (``vigil escalate``) is on their dashboard, linking to the report's triage page, and on
    nobody else's."""
    make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    make_user("safeguarding2", UserRole.SAFEGUARDING_OFFICER)
    due = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
    report = make_report(settings, answer_due=due).submission
    services.escalate(due + timedelta(hours=1))  # to the less loaded: the first by name
    sign_in(client, "safeguarding1")
    page = client.get(reverse("dashboard"))
    link = reverse("triage-detail", args=[report.pk])
    assert f'href="{link}"' in page.content.decode()
    assert f"Portal report {report.pk}" in section(page, "escalated")
    assert SECRET_WORDS not in page.content.decode()
    sign_in(client, "safeguarding2")
    assert 'id="escalated"' not in client.get(reverse("dashboard")).content.decode()


def test_the_dashboard_is_audited_as_a_consultation(client, worked):
    sign_in(client, "investigator1")
    client.get(reverse("dashboard"))
    entry = AuditEntry.objects.filter(event="cases.listed", target_type="dashboard").last()
    assert entry is not None and entry.actor == "investigator1" and entry.verb == "consultation"


def test_the_dashboard_needs_a_sign_in(client, db):
    assert reverse("login") in client.get(reverse("dashboard"))["Location"]
