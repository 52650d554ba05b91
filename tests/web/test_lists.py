"""The lists as pages: filters, sorting and paging through the address (GET), GOV.UK
pagination and sortable headers, category labels instead of codes, and the dashboard's counts
leading to full lists that show the same totals."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.conftest import T0, expected_report, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category
from vigil.web import views


def text(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def case_refs(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/cases/([^"/]+)/">', response.content.decode())


def hrefs(response, pattern: str) -> list[str]:
    found = re.findall(r'href="([^"]*)"[^>]*>\s*' + pattern, response.content.decode())
    return [unescape(h) for h in found]


@pytest.fixture
def five(officer, sergeant):
    for n in range(1, 5):
        at = T0 + timedelta(days=n)
        services.open_case(
            officer,
            f"C-{n}",
            suspicious_report(reported_at=at, found_at=at - timedelta(minutes=20)),
            known_at=at,
        )
    services.open_case(officer, "C-0", expected_report(), known_at=T0)
    services.decide_category(sergeant, "C-0", Category.EXPECTED, "Died at home of old age.")


def test_the_case_list_pages_with_numbers_and_keeps_the_filters(client, five, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    sign_in(client, "officer1")
    page = client.get(reverse("case-list"), {"q": "C-", "page": "2"})
    assert page.status_code == 200
    assert case_refs(page) == ["C-2", "C-1"]
    assert "Showing 3 to 4 of 5 cases" in text(page)
    html = page.content.decode()
    assert 'class="govuk-pagination"' in html and 'aria-current="page"' in html
    for label in ("Page 1", "Page 3"):
        [link] = re.findall(rf'href="([^"]+)" aria-label="{label}"', html)
        assert parse_qs(urlparse(unescape(link)).query)["q"] == ["C-"]
    nxt = re.search(r'href="([^"]+)" rel="next"', html).group(1)
    assert parse_qs(urlparse(unescape(nxt)).query) == {"q": ["C-"], "page": ["3"]}


def test_a_page_or_sort_that_is_not_one_is_ignored(client, five):
    sign_in(client, "officer1")
    for params in ({"page": "x"}, {"page": "-1"}, {"page": "999"}, {"sort": "state", "dir": "up"}):
        response = client.get(reverse("case-list"), params)
        assert response.status_code == 200 and len(case_refs(response)) == 5


def test_headers_sort_the_list_and_say_how(client, five):
    sign_in(client, "officer1")
    default = client.get(reverse("case-list"))
    html = default.content.decode()
    assert re.search(r'aria-sort="descending"><a [^>]*>Reported', html)
    assert re.search(r'aria-sort="none"><a [^>]*>Reference', html)
    [by_ref] = hrefs(default, "Reference")
    ascending = client.get(reverse("case-list") + by_ref)
    assert case_refs(ascending) == ["C-0", "C-1", "C-2", "C-3", "C-4"]
    assert re.search(r'aria-sort="ascending"><a [^>]*>Reference', ascending.content.decode())
    [again] = hrefs(ascending, "Reference")  # the sorted column's link turns the order round
    assert case_refs(client.get(reverse("case-list") + again))[0] == "C-4"


def test_categories_read_as_the_policy_names_them(client, five):
    sign_in(client, "officer1")
    page = text(client.get(reverse("case-list")))
    assert "Unexpected, under investigation" in page and "Expected" in page
    assert "unexpected_under_investigation" not in page
    assert "churchyard" in page.lower()


def test_filters_by_category_status_and_dates(client, five):
    sign_in(client, "officer1")
    url = reverse("case-list")
    assert case_refs(client.get(url, {"category": "expected"})) == ["C-0"]
    overdue = case_refs(client.get(url, {"status": "overdue"}))
    assert "C-1" in overdue
    day = (T0 + timedelta(days=2)).date().isoformat()
    assert case_refs(client.get(url, {"reported_from": day, "reported_to": day})) == ["C-2"]
    assert "1 case matches the filters." in text(client.get(url, {"category": "expected"}))


def test_a_bad_filter_is_named_and_the_others_still_apply(client, five):
    sign_in(client, "officer1")
    before = AuditEntry.objects.count()
    response = client.get(
        reverse("case-list"), {"reported_from": "31/02/2015", "category": "expected"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "Reported from must be a real date" in page
    assert case_refs(response) == ["C-0"]  # the category still narrows the list
    assert AuditEntry.objects.count() == before + 1  # the listing, audited as always
    bad_choice = client.get(reverse("case-list"), {"category": "unexpected"})
    assert bad_choice.status_code == 400 and "Choose a category from the list" in text(bad_choice)


def test_a_restricted_case_changes_no_count_on_the_pages(client, five, sergeant, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    services.restrict_case(sergeant, "C-3")
    sign_in(client, "officer1")
    for params in ({}, {"q": "C-3"}, {"status": "overdue"}, {"sort": "unmet", "page": "2"}):
        page = client.get(reverse("case-list"), params)
        assert "C-3" not in case_refs(page)
    assert "of 4 cases" in text(client.get(reverse("case-list")))
    assert "No case you may see matches" in text(client.get(reverse("case-list"), {"q": "C-3"}))


def test_the_review_queue_filters_overdue_and_sorts(client, five, officer):
    services.open_case(officer, "C-NEW", suspicious_report(reported_at=None, found_at=None))
    sign_in(client, "sergeant1")
    queue = reverse("review-queue")
    everything = client.get(queue)
    assert "5 cases awaiting review." in text(everything)
    overdue = client.get(queue, {"overdue": "yes"})
    assert "4 cases with overdue checklist items awaiting review." in text(overdue)
    assert "C-NEW" not in overdue.content.decode()
    by_ref = client.get(queue, {"sort": "reference"})
    refs = re.findall(r'href="/review/([^"]+)/"', by_ref.content.decode())
    assert refs == sorted(refs) and "Sort overdue cases first" in text(by_ref)


def test_dashboard_counts_lead_to_lists_with_the_same_totals(client, officer, sergeant):
    for n in range(3):  # each suspicious case has 8 overdue items
        services.open_case(officer, f"D-{n}", suspicious_report(), known_at=T0)
    sign_in(client, "sergeant1")
    board = client.get(reverse("dashboard"))
    [link] = re.findall(r'href="([^"]+)" id="overdue-list"', board.content.decode())
    assert "See all 24" in text(board)
    full = client.get(unescape(link))
    assert full.status_code == 200
    assert "24 in all." in text(full) and "Showing 1 to 24 of 24 items" in text(full)
    assert len(re.findall(r'#checklist"', full.content.decode())) == 24
    audited = AuditEntry.objects.filter(target_type="dashboard-overdue").last()
    assert audited is not None and audited.verb == "consultation"


def test_the_dashboard_alert_count_leads_to_the_alert_list_filtered_the_same(
    client, linked_pair, analyst
):
    sign_in(client, "analyst1")
    board = client.get(reverse("dashboard"))
    [link] = re.findall(r'href="([^"]+)" id="alerts-list"', board.content.decode())
    count = re.search(r'id="alerts-count"><strong[^>]*>(\d+)<', board.content.decode()).group(1)
    listed = client.get(unescape(link))
    assert f"Before me: {count} alert" in text(listed)


def test_an_unknown_dashboard_list_leads_back_and_a_refused_one_is_403(client, officer):
    sign_in(client, "officer1")
    url = reverse("dashboard-section")
    assert client.get(url, {"section": "nothing"})["Location"] == reverse("dashboard")
    # a response officer sees no alerts: the list the count would lead to is refused
    assert client.get(url, {"section": "alerts"}, follow=True).status_code == 403


def test_alerts_filter_by_kind_and_answer(client, linked_pair, analyst):
    sign_in(client, "analyst1")
    url = reverse("alert-list")
    assert "Awaiting an answer: 1 alert" in text(client.get(url))
    clusters = client.get(url, {"kind": "cluster"})
    assert clusters.status_code == 200 and "0 alerts" in text(clusters)
    assert "0 alerts" in text(client.get(url, {"status": "answered"}))
    bad = client.get(url, {"kind": "triple"})
    assert bad.status_code == 400 and "Choose the kind of alert from the list" in text(bad)


def test_series_list_filters_by_review(client, linked_pair, analyst):
    sign_in(client, "analyst1")
    url = reverse("series-list")
    assert client.get(url, {"status": "review"}).status_code == 200
    bad = client.get(url, {"status": "closed"})
    assert bad.status_code == 400 and "Choose a review status from the list" in text(bad)


def test_search_results_page_with_numbers_and_sort(client, five, monkeypatch):
    monkeypatch.setattr("vigil.web.search.PAGE", 2)
    sign_in(client, "officer1")
    page = client.get(reverse("search"), {"q": "Testperson", "sort": "reference", "page": "2"})
    assert page.status_code == 200
    body = text(page)
    assert "Showing 3 to 4 of" in body
    assert 'aria-sort="ascending"' in page.content.decode()
