"""Lists a page at a time (vigil.services.readmodels.listing and the list services): paging with Django's
Paginator, sorting by an allow-list, filters in the database, the audit of every listing, and
need-to-know: a restricted case the reader may not see changes no total, filter, sort or page."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.conftest import T0, expected_report, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, UserRole
from vigil.services.linkage.series import Verdict, judge
from vigil.services.readmodels.alertlist import AlertFilters, alert_listing, series_listing
from vigil.services.readmodels.dashboard import dashboard, dashboard_section
from vigil.services.readmodels.queues import review_listing, review_queue
from vigil.services.readmodels.reading import CaseFilters, case_listing


def day(n: int):
    return T0 + timedelta(days=n)


@pytest.fixture
def five(officer, sergeant):
    """C-1 .. C-4 suspicious, reported a day apart (C-4 last); C-0 expected and decided."""
    for n in range(1, 5):
        services.open_case(
            officer,
            f"C-{n}",
            suspicious_report(reported_at=day(n), found_at=day(n) - timedelta(minutes=20)),
            known_at=day(n),
        )
    services.open_case(officer, "C-0", expected_report(), known_at=T0)
    services.decide_category(sergeant, "C-0", Category.EXPECTED, "Died at home of old age.")
    return [f"C-{n}" for n in range(5)]


def refs(listing) -> list[str]:
    return [r.reference for r in listing.rows]


def test_pages_count_and_cut_in_order(five, officer):
    first = case_listing(officer, face="test", size=2)
    assert (first.total, first.pages, first.number) == (5, 3, 1)
    assert refs(first) == ["C-4", "C-3"]  # most recently reported first
    second = case_listing(officer, face="test", size=2, page="2")
    assert refs(second) == ["C-2", "C-1"]
    assert (second.start, second.end, second.has_prev, second.has_next) == (3, 4, True, True)
    last = case_listing(officer, face="test", size=2, page=3)
    assert (last.start, last.end, last.has_next) == (5, 5, False)


@pytest.mark.parametrize(("asked", "shown"), [("x", 1), ("0", 1), ("-3", 1), ("99", 3), ("", 1)])
def test_a_page_that_is_not_one_shows_the_first_or_the_last(five, officer, asked, shown):
    assert case_listing(officer, face="test", size=2, page=asked).number == shown


def test_sorting_follows_the_allow_list_and_ignores_anything_else(five, officer):
    by_ref = case_listing(officer, face="test", sort="reference")
    assert refs(by_ref) == ["C-0", "C-1", "C-2", "C-3", "C-4"]
    assert by_ref.order.key == "reference" and not by_ref.order.descending
    assert refs(case_listing(officer, face="test", sort="reference", direction="desc")) == [
        "C-4",
        "C-3",
        "C-2",
        "C-1",
        "C-0",
    ]
    by_category = case_listing(officer, face="test", sort="category")  # most serious first
    assert refs(by_category)[-1] == "C-0"
    # the deceased's name may be withheld from some roles: not a sort; nor is a column name
    for unknown in ("deceased_name", "state", "restricted; drop table"):
        listing = case_listing(officer, face="test", sort=unknown, direction="sideways")
        assert listing.order.key == "reported" and refs(listing)[0] == "C-4"


def test_filters_narrow_in_the_database(five, officer):
    def only(**filters) -> list[str]:
        return sorted(refs(case_listing(officer, face="test", filters=CaseFilters(**filters))))

    assert only(category=Category.EXPECTED.value) == ["C-0"]
    assert only(category=Category.UNEXPECTED_UNDER_INVESTIGATION.value) == [
        "C-1",
        "C-2",
        "C-3",
        "C-4",
    ]
    assert "C-1" in only(status="open") and "C-1" in only(status="overdue")
    first = (T0 + timedelta(days=2)).date()
    assert only(reported_from=first, reported_to=first + timedelta(days=1)) == ["C-2", "C-3"]
    assert only(search="c-3") == ["C-3"]


def test_status_complete_lists_a_case_with_nothing_unmet(five, officer):
    unmet = {r.reference: r.unmet for r in case_listing(officer, face="test").rows}
    complete = refs(case_listing(officer, face="test", filters=CaseFilters(status="complete")))
    assert complete == [ref for ref, n in unmet.items() if n == 0]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (CaseFilters(category="unexpected"), "category"),
        (CaseFilters(status="closed"), "status"),
        (CaseFilters(reported_from=date(2015, 3, 2), reported_to=date(2015, 3, 1)), "reported_to"),
    ],
)
def test_a_filter_that_is_not_one_is_refused_naming_it(five, officer, filters, field):
    before = AuditEntry.objects.count()
    with pytest.raises(services.Invalid) as refused:
        case_listing(officer, face="test", filters=filters)
    assert refused.value.field == field
    assert AuditEntry.objects.count() == before


def test_every_listing_is_audited_with_its_filters(five, officer):
    case_listing(officer, face="web", filters=CaseFilters(category="expected"), sort="reference")
    entry = AuditEntry.objects.filter(event="cases.listed", target_type="cases").last()
    payload = json.loads(entry.payload)
    assert payload["category"] == "expected" and payload["sort"] == "reference"
    assert (payload["count"], payload["total"], payload["face"]) == (1, 1, "web")
    assert entry.verb == "consultation"


def test_a_restricted_case_the_reader_may_not_see_changes_no_total(five, officer, sergeant):
    """Restricted to the sergeant: for the officer the store holds four cases, whatever the
    filter, the sort or the page; the sergeant, named on it, still sees five."""
    before = {
        key: case_listing(officer, face="test", filters=f).total
        for key, f in {
            "all": CaseFilters(),
            "category": CaseFilters(category="unexpected_under_investigation"),
            "open": CaseFilters(status="overdue"),
            "search": CaseFilters(search="C-"),
        }.items()
    }
    queue_before = review_listing(sergeant, face="test").total
    services.restrict_case(sergeant, "C-3")
    after = {
        "all": case_listing(officer, face="test"),
        "category": case_listing(
            officer, face="test", filters=CaseFilters(category="unexpected_under_investigation")
        ),
        "open": case_listing(officer, face="test", filters=CaseFilters(status="overdue")),
        "search": case_listing(officer, face="test", filters=CaseFilters(search="C-")),
    }
    assert {k: v.total for k, v in after.items()} == {k: n - 1 for k, n in before.items()}
    for sort in ("reference", "category", "unmet", "reported", "place", "floor"):
        for number in (1, 2, 3):
            listing = case_listing(officer, face="test", sort=sort, size=2, page=number)
            assert "C-3" not in refs(listing) and listing.total == 4 and listing.pages == 2
    assert case_listing(sergeant, face="test").total == 5
    reviewer = make_user("reviewer2", UserRole.REVIEWING_OFFICER)
    assert review_listing(reviewer, face="test").total == queue_before - 1
    assert review_listing(sergeant, face="test").total == queue_before


def test_the_review_queue_filters_overdue_sorts_and_pages(five, officer, sergeant):
    services.open_case(officer, "C-NEW", suspicious_report(reported_at=None, found_at=None))
    everything = review_listing(sergeant, face="test")
    assert everything.total == review_queue(sergeant, face="test")[0] == 5
    assert refs(everything)[-1] == "C-NEW"  # nothing overdue: last, as the queue orders it
    overdue = review_listing(sergeant, face="test", overdue_only=True)
    assert overdue.total == 4 and "C-NEW" not in refs(overdue)
    by_ref = review_listing(sergeant, face="test", sort="reference", size=2, page=3)
    assert refs(by_ref) == ["C-NEW"] and by_ref.pages == 3
    assert review_listing(sergeant, face="test", sort="nonsense").order.key == "priority"
    entry = AuditEntry.objects.filter(target_type="review-queue").last()
    assert json.loads(entry.payload)["total"] == 5


def test_a_dashboard_section_in_full_has_the_dashboard_s_count_and_rows(officer, sergeant):
    for n in range(3):  # each suspicious case has 8 overdue items
        services.open_case(officer, f"D-{n}", suspicious_report(), known_at=T0)
    board = dashboard(sergeant, face="test", limit=20)
    first = dashboard_section(sergeant, "overdue", face="test", size=20)
    second = dashboard_section(sergeant, "overdue", face="test", size=20, page=2)
    assert first.total == second.total == board.overdue.count == 24
    assert first.rows == list(board.overdue.rows)
    assert len(second.rows) == 4 and first.rows + second.rows == services.overdue_items(sergeant)
    entry = AuditEntry.objects.filter(target_type="dashboard-overdue").last()
    assert json.loads(entry.payload)["total"] == 24


def test_a_dashboard_section_the_role_has_no_part_in_is_refused(officer):
    with pytest.raises(services.Forbidden):
        dashboard_section(officer, "alerts", face="test")  # a response officer sees no alerts
    with pytest.raises(services.NotFound):
        dashboard_section(officer, "everything", face="test")


def test_alerts_filter_by_answer_and_kind_and_hide_restricted_cases(linked_pair, analyst, sergeant):
    awaiting = alert_listing(analyst, face="test")
    assert awaiting.total == 1 and awaiting.rows[0].cases == ("L-1", "L-2")
    assert alert_listing(analyst, face="test", filters=AlertFilters(status="answered")).total == 0
    assert alert_listing(analyst, face="test", filters=AlertFilters(kind="cluster")).total == 0
    mine = alert_listing(analyst, face="test", filters=AlertFilters(analyst="analyst1"))
    assert mine.total == dashboard(analyst, face="test").alerts.count
    with pytest.raises(services.Invalid) as refused:
        alert_listing(analyst, face="test", filters=AlertFilters(kind="triple"))
    assert refused.value.field == "kind"
    services.restrict_case(sergeant, "L-2")
    for status in ("awaiting", "answered", "all"):
        listing = alert_listing(analyst, face="test", filters=AlertFilters(status=status))
        assert listing.total == 0 and listing.rows == []


def test_series_list_pages_and_filters_by_review(linked_pair, analyst, sergeant):
    judge(make_user("analyst2", UserRole.ANALYST), linked_pair.pk, Verdict.CONFIRM, "Same.")
    listing = series_listing(analyst, face="test")
    assert [r.cases for r in listing.rows] == [("L-1", "L-2")]
    waiting = listing.rows[0].awaiting_review
    assert series_listing(analyst, face="test", status="review").total == (1 if waiting else 0)
    assert series_listing(analyst, face="test", status="reviewed").total == (0 if waiting else 1)
    with pytest.raises(services.Invalid):
        series_listing(analyst, face="test", status="closed")
    services.restrict_case(sergeant, "L-2")
    assert series_listing(analyst, face="test").total == 0
