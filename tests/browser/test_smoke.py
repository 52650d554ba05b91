"""The sign-in page, the case list and a case in real Chromium: styled, scripted, accessible.

The cases are synthetic (the shared factories in tests/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import axe, screenshot, sign_in
from tests.conftest import T0, expected_report, suspicious_report
from vigil import services
from vigil.domain import UserRole

NEAR_BLACK = "rgb(11, 12, 12)"  # the header's background in GOV.UK Frontend's stylesheet


def failed_requests(page: Page) -> list[str]:
    """Collects every response of the page with an error status, as it arrives."""
    failures: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    page.on("response", record)
    return failures


def assert_front_end_loaded(page: Page) -> None:
    header = page.locator(".govuk-generic-header")
    expect(header).to_contain_text("Vigil")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == NEAR_BLACK
    # Vigil's own stylesheet replaced the typeface reserved to GOV.UK with the system's.
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font and "GDS Transport" not in font
    assert page.evaluate("() => typeof window.htmx") == "object"
    # GOV.UK Frontend's ES module was imported and initAll() started the components.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")


def test_the_sign_in_page_is_styled_scripted_and_accessible(page: Page, browser_user):
    failures = failed_requests(page)
    page.goto("/login/")
    page.wait_for_load_state("networkidle")
    assert_front_end_loaded(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("User name")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert axe(page) == []
    assert failures == []
    screenshot(page, "sign-in")


def test_a_wrong_password_gets_an_accessible_error_summary(page: Page, browser_user):
    browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sign_in_page = page.goto("/login/")
    assert sign_in_page is not None and sign_in_page.ok
    page.get_by_label("User name").fill("officer1")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("did not match")
    expect(summary).to_be_focused()  # GOV.UK Frontend's ErrorSummary moves focus to it
    expect(page).to_have_title("Error: Sign in \N{EN DASH} Vigil")
    assert axe(page) == []


def test_the_case_list_and_a_case_after_signing_in(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    services.open_case(officer.actor, "B-1", suspicious_report(), known_at=T0)
    services.open_case(officer.actor, "B-2", expected_report(), known_at=T0 + timedelta(days=3))
    failures = failed_requests(page)
    sign_in(page, officer)
    page.goto("/cases/")  # signing in lands on the dashboard
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert_front_end_loaded(page)
    rows = page.locator(".govuk-table__body .govuk-table__row")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="B-1")).to_be_visible()
    expect(page.get_by_role("link", name="B-2")).to_be_visible()
    cases = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases")
    expect(cases).to_have_attribute("aria-current", "page")
    assert axe(page) == []
    screenshot(page, "case-list")

    page.get_by_role("link", name="B-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("B-1")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Floor")
    assert_front_end_loaded(page)
    assert axe(page) == []
    assert failures == []
