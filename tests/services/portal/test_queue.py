"""The triage queue (metadata only, overdue first, need-to-know), the portal's reports among
the overdue items of those who triage them, and the count of a case's unanswered concerns."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import T0, make_user, suspicious_report
from tests.triage import SECRET_WORDS, install_team_key, make_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def officer_sg(db, settings):
    install_team_key(settings)
    return make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)


def test_the_queue_is_metadata_only_overdue_first_then_the_newest(officer_sg, settings):
    old_overdue = make_report(
        settings, received_on=date(2026, 6, 1), answer_due=NOW - timedelta(days=8)
    )
    new_overdue = make_report(
        settings, received_on=date(2026, 6, 8), answer_due=NOW - timedelta(hours=1)
    )
    newest = make_report(
        settings, received_on=date(2026, 6, 10), answer_due=NOW + timedelta(days=1)
    )
    closed = make_report(settings, received_on=date(2026, 6, 9), status="closed")

    listing = services.triage_queue(officer_sg, face="web", now=NOW)

    ids = [r.id for r in listing.rows]
    assert ids == [new_overdue.submission.pk, old_overdue.submission.pk, newest.submission.pk]
    assert [r.overdue for r in listing.rows] == [True, True, False]
    assert listing.rows[0].kind_label == "Drugging or sexual violence"
    assert SECRET_WORDS not in json.dumps([r.model_dump(mode="json") for r in listing.rows])
    assert "@quietfox_test" not in str(listing.rows)
    # closed reports are left out unless asked for; and the other filters
    every = services.triage_queue(
        officer_sg, face="web", now=NOW, filters=services.TriageFilters(status="all")
    )
    assert closed.submission.pk in {r.id for r in every.rows} and every.total == 4
    concerns = services.TriageFilters(kind="family_concern")
    assert services.triage_queue(officer_sg, face="web", filters=concerns).total == 0
    by_due = services.triage_queue(officer_sg, face="web", now=NOW, sort="due")
    assert by_due.rows[0].id == old_overdue.submission.pk
    with pytest.raises(services.Invalid):
        services.triage_queue(officer_sg, face="web", filters=services.TriageFilters(status="x"))
    listed = AuditEntry.objects.filter(event="portal.listed")
    assert listed.count() == 4 and json.loads(listed.first().payload)["count"] == 3


def test_a_closed_report_the_reporter_wrote_to_again_waits_again(officer_sg, settings):
    report = make_report(settings, status="closed", answer_due=NOW - timedelta(hours=2))
    (row,) = services.triage_queue(officer_sg, face="web", now=NOW).rows
    assert row.id == report.submission.pk and row.overdue


def test_overdue_reports_are_overdue_items_for_those_who_triage_them(
    officer_sg, settings, sergeant
):
    services.open_case(sergeant, "D-1", suspicious_report(), known_at=T0)  # overdue items
    report = make_report(settings, answer_due=NOW - timedelta(hours=3))
    make_report(settings, answer_due=NOW + timedelta(hours=3))  # not yet due

    items = services.overdue_items(officer_sg, now=NOW)
    (portal,) = [i for i in items if i.submission is not None]
    assert portal.submission == report.submission.pk
    assert portal.title == "Answer the report from the portal"
    assert portal.owner_role == "safeguarding_officer" and portal.reference == ""
    assert [i.deadline for i in items] == sorted(i.deadline for i in items)
    assert len(items) > 1  # the checklist's overdue items are there too
    assert all(i.submission is None for i in services.overdue_items(sergeant, now=NOW))

    board = services.dashboard(officer_sg, face="web", now=NOW, limit=3)
    assert board.overdue.count == len(items)
    assert list(board.overdue.rows) == items[:3]
    pages = [
        services.dashboard_section(officer_sg, "overdue", face="web", page=n, size=2, now=NOW)
        for n in range(1, len(items) // 2 + 2)
    ]
    assert [row for p in pages for row in p.rows] == items
    assert pages[0].total == len(items)

    services.reply_to_reporter(officer_sg, report.submission.pk, "We are here.")
    assert all(i.submission is None for i in services.overdue_items(officer_sg, now=NOW))


def test_unanswered_family_concerns_on_a_case(officer_sg, settings, sergeant):
    services.open_case(sergeant, "D-1", suspicious_report(), known_at=T0)
    due = NOW + timedelta(days=1)
    first = make_report(settings, kind="family_concern", case_reference="D-1", answer_due=due)
    make_report(settings, kind="family_concern", case_reference="D-1", answer_due=due)
    make_report(settings, kind="family_concern", case_reference="D-2", answer_due=due)
    make_report(settings, kind="drugging", case_reference="D-1", answer_due=due)
    assert services.unanswered_portal_concerns("D-1") == 2
    services.reply_to_reporter(officer_sg, first.submission.pk, "We will look into it.")
    assert services.unanswered_portal_concerns("D-1") == 1
    (row,) = [
        r for r in services.triage_queue(officer_sg, face="web").rows if r.id == first.submission.pk
    ]
    assert row.names_case and row.case_reference == "D-1"
