"""A confirmed series feeds back into its cases (issue 12, item 5), in real Chromium: two GHB
deaths were each closed as "unexpected, not suspicious" by the sergeant, overriding the floor,
before anyone linked them; the analyst confirms the alert between them; the sergeant finds
both back in the review queue with the series as the reason, and the case page shows the
series and leads to it.

The deaths and people are synthetic (invented names, the Ofcom drama range for the phone).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.conftest import two_similar_deaths
from vigil import services
from vigil.domain import Category, UserRole


def test_a_confirmed_series_sends_its_cases_back_to_the_reviewing_officer(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    analyst = browser_user("analyst1", UserRole.ANALYST)
    two_similar_deaths(officer.actor)  # L-1 and L-2: one phone, 220 m and three weeks apart
    for reference in ("L-1", "L-2"):
        services.decide_category(
            sergeant.actor,
            reference,
            Category.UNEXPECTED_NOT_SUSPICIOUS,
            "An accidental overdose.",
            override_reason="Family say he used GHB alone before.",
        )

    # Nothing waits for review until the analyst answers the alert.
    sign_in(page, sergeant)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Review", exact=True
    ).click()
    expect(page.locator("#queue-count")).to_have_text("0 cases awaiting review.")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, analyst)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()
    page.get_by_role("link", name="L-1 and L-2").click()
    page.get_by_label("Confirm: the two deaths are linked").check()
    page.get_by_label("Reason").fill("The caller of one is the friend of the other; GHB in both.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You confirmed the link."
    )
    page.get_by_role("button", name="Sign out").click()

    # Both deaths are back before the sergeant, the series as the reason.
    sign_in(page, sergeant)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Review", exact=True
    ).click()
    expect(page.locator("#queue-count")).to_have_text("2 cases awaiting review.")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="L-1", exact=True))
    expect(row).to_contain_text("Part of confirmed series L-1 (with case L-2).")
    expect(row).to_contain_text("Below the floor without a supervisor's override")
    assert axe(page) == []
    row.get_by_role("link", name="L-1", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        "An analyst confirmed this death as part of a series"
    )

    # The case page shows the series, and leads to it.
    page.goto("/cases/L-1/")
    series = page.get_by_role("region", name="Confirmed series")
    expect(series).to_contain_text("Part of series L-1, which an analyst confirmed.")
    expect(series).to_contain_text("The other death in it: L-2.")
    expect(series).to_contain_text("it is back with the reviewing officer")
    assert axe(page) == []
    series.get_by_role("link", name="L-1").click()
    page.wait_for_url("**/series/L-1/")
    expect(page.locator(".vigil-series-timeline .moj-timeline__title")).to_have_text(["L-1", "L-2"])
