"""The analyst in real Chromium: two similar deaths raise an alert; the analyst opens the queue,
compares the two cases, reads the explanation, confirms; the series page shows both cases on the
map, the timeline and the link chart; search finds them. axe-core on every page.

The deaths are synthetic, recorded through the services as in tests/conftest.py's linked pair:
GHB, about 220 m and three weeks apart, the same phone as the caller's on one and a friend's on
the other.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, screenshot, sign_in
from tests.browser.test_smoke import failed_requests
from tests.conftest import two_similar_deaths
from vigil.domain import UserRole


def test_the_analyst_answers_an_alert_and_sees_the_series(page: Page, browser_user):
    analyst = browser_user("analyst1", UserRole.ANALYST)
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    two_similar_deaths(officer.actor)
    failures = failed_requests(page)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(page, analyst)

    # The queue: the alert, strongest first.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linkage alerts")
    expect(page.locator(".vigil-alerts tbody tr")).to_have_count(1)
    assert axe(page) == []

    # The comparison and the explanation.
    page.get_by_role("link", name="L-1 and L-2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("L-1 and L-2")
    comparison = page.url
    explanation = page.locator(".vigil-explanation")
    expect(explanation.get_by_text("Share phone +447700900461", exact=False)).to_be_visible()
    expect(explanation).to_contain_text("GHB was found in both")
    expect(page.locator(".vigil-comparison mark.vigil-shared").first).to_have_text(
        "phone +447700900461"
    )
    assert axe(page) == []
    screenshot(page, "alert-comparison")

    # Confirm, with a reason: first without one, which is refused beside the field.
    page.get_by_label("Confirm: the two deaths are linked").check()
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    expect(page.locator("#reason-error")).to_be_visible()
    assert axe(page) == []
    page.get_by_label("Confirm: the two deaths are linked").check()
    page.get_by_label("Reason").fill("Same phone in two roles, GHB in both, 220 m apart.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You confirmed the link."
    )
    expect(page.locator(".moj-timeline")).to_contain_text("Same phone in two roles")

    # The series it joined.
    page.locator(".vigil-series-joined").get_by_role("link", name="Series L-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Series L-1")
    markers = page.locator(".leaflet-overlay-pane path.vigil-map-case")
    expect(markers).to_have_count(2)
    expect(page.locator(".leaflet-overlay-pane path.vigil-map-leg")).to_have_count(1)
    expect(page.locator(".vigil-map-distance")).to_have_text("224 m")
    expect(page.locator(".vigil-map-label")).to_have_text(["1. L-1", "2. L-2"])
    timeline = page.locator(".vigil-series-timeline .moj-timeline__title")
    expect(timeline).to_have_text(["L-1", "L-2"])
    page.wait_for_function("() => window.vigil && window.vigil.seriesChart")
    cases = page.evaluate("() => window.vigil.seriesChart.nodes('.case').map((n) => n.id())")
    assert sorted(cases) == ["case:L-1", "case:L-2"]
    shared = page.evaluate("() => window.vigil.seriesChart.nodes('.shared').map((n) => n.id())")
    assert shared == ["identifier:phone:+447700900461"]
    links = page.evaluate("() => window.vigil.seriesChart.edges('.link').length")
    assert links == 1
    assert axe(page) == []
    screenshot(page, "series")

    # Every series the analyst may see.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Series").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Series")
    expect(page.get_by_role("link", name="Series L-1")).to_be_visible()
    assert axe(page) == []

    # Search finds both deaths by the shared phone, as the analyst may see them.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Search").click()
    page.get_by_label("Names, phone numbers, addresses, places or references").fill("07700 900461")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name="2 cases found")).to_be_visible()
    expect(page.locator(".vigil-search-results tbody tr")).to_have_count(2)
    assert axe(page) == []
    assert script_errors == []
    assert failures == [f"400 {comparison}"]  # the answer without a reason, and nothing else
