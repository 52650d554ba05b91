"""The lists in real Chromium: the case list filtered, sorted by its column headers and paged,
with and without JavaScript; the dashboard's count leading to the full list. Checked with
axe-core. The deaths are synthetic."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe, sign_in
from tests.conftest import T0, expected_report, suspicious_report
from vigil import services
from vigil.domain import Category, UserRole


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_case_list_filters_sorts_and_pages(
    page: Page, browser_user, browser: Browser, live_server: Any
):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    for n in range(1, 4):
        at = T0 + timedelta(days=n)
        services.open_case(
            officer.actor,
            f"C-{n}",
            suspicious_report(reported_at=at, found_at=at - timedelta(minutes=20)),
            known_at=at,
        )
    services.open_case(officer.actor, "C-0", expected_report(), known_at=T0)
    services.decide_category(sergeant.actor, "C-0", Category.EXPECTED, "Died of old age.")
    sign_in(page, officer)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("C-3")
    expect(page.get_by_role("columnheader", name="Reported")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert axe(page) == []

    # A header sorts; the same header again turns the order round.
    page.get_by_role("columnheader", name="Reference").get_by_role("link").click()
    expect(rows.first).to_contain_text("C-0")
    expect(page.get_by_role("columnheader", name="Reference")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_role("columnheader", name="Reference").get_by_role("link").click()
    expect(rows.first).to_contain_text("C-3")

    # A filter keeps the sort, and the address can be shared.
    page.get_by_label("Category").select_option(label="Unexpected, under investigation")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#case-count")).to_have_text("3 cases match the filters.")
    expect(rows.first).to_contain_text("C-3")
    assert query(page)["sort"] == ["reference"] and query(page)["dir"] == ["desc"]
    assert axe(page) == []
    shared = page.url

    # Without JavaScript the same address gives the same list, and the form still filters.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain = context.new_page()
        sign_in(plain, officer)
        plain.goto(shared)
        expect(plain.locator("table.govuk-table tbody tr")).to_have_count(3)
        plain.get_by_label("Category").select_option(label="Expected")
        plain.get_by_role("button", name="Apply filters").click()
        expect(plain.locator("#case-count")).to_have_text("1 case matches the filters.")
    finally:
        context.close()


def test_the_dashboard_count_leads_to_the_whole_list(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    for n in range(3):  # each has 8 overdue checklist items
        services.open_case(officer.actor, f"D-{n}", suspicious_report(), known_at=T0)
    sign_in(page, sergeant)
    expect(page.locator("#overdue-count")).to_have_text("24")
    assert axe(page) == []
    page.locator("#overdue-list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue checklist items")
    expect(page.locator("#section-count")).to_have_text("24 in all.")
    expect(page.locator("table.govuk-table tbody tr")).to_have_count(24)
    assert axe(page) == []
