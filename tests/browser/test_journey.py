"""From the scene to the series, every step in real Chromium and nothing through the services:
an officer records a suspicious death and its caller, and sees the floor and the unmet items; a
sergeant signs the category off; days later a second death like it is recorded, with a friend
who gives the same phone; that raises a linkage alert, which the analyst opens, reads and
confirms; the series page shows both deaths on the map, the timeline and the link chart.

The deaths and people are synthetic (invented names, the Ofcom drama range for the phone).
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserUser, axe, sign_in
from tests.browser.test_officer_pages import (
    FLOOR,
    fill_suspicious_death,
    found_at,
    record_toxicology,
)
from vigil.domain import UserRole
from vigil.records import models as m

PHONE = "07700 900461"


def record_death(page: Page, reference: str, days_before: int, where: tuple[float, float]):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="New report").click()
    fill_suspicious_death(page, reference, found_at() - timedelta(days=days_before), where)
    expect(page.locator("#preview-floor")).to_have_text(FLOOR)
    expect(page.locator("#preview-unmet")).to_contain_text("Toxicology requested, including GHB")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/cases/{reference}/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Case {reference} opened."
    )
    record_toxicology(page, reference)  # GHB, in the report's toxicology section


def add_person(page: Page, name: str, part: str) -> None:
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label(part, exact=True).check()
    page.locator("#identifiers-0-kind").select_option("phone")
    page.locator("#identifiers-0-value").fill(PHONE)
    page.get_by_role("button", name="Add the person").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{name} recorded on case"
    )
    expect(page.get_by_role("region", name="Persons on this case")).to_contain_text(name)


def sign_out_and_in(page: Page, user: BrowserUser) -> None:
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, user)


def test_from_the_scene_to_the_series(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    analyst = browser_user("analyst1", UserRole.ANALYST)

    # The first death, and the man who called it in.
    sign_in(page, officer)
    record_death(page, "J-1", 10, (51.5386, 0.0811))
    checklist = page.get_by_role("region", name="Unmet checklist items")
    expect(checklist).to_contain_text("Category decided, with a rationale")
    add_person(page, "Caller Onesperson", "Caller")
    assert not m.Alert.objects.exists()

    # The sergeant signs the category off from the review queue.
    sign_out_and_in(page, sergeant)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Review", exact=True
    ).click()
    page.get_by_role("link", name="J-1").click()
    page.locator("#sign-off-rationale").fill("GHB and a moved body: investigate.")
    page.get_by_role("button", name="Sign off as unexpected, under investigation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Case J-1: category signed off as Unexpected, under investigation."
    )

    # Ten days later, a second death 220 m away; a friend gives the caller's phone.
    sign_out_and_in(page, officer)
    record_death(page, "J-2", 0, (51.5395, 0.0840))
    # The officer at the scene is told what the analyst will be.
    expect(page.get_by_role("region", name="Similar deaths")).to_contain_text("J-1")
    add_person(page, "Friend Twosperson", "Friend")
    alert = m.Alert.objects.select_related("link__case_a", "link__case_b").get()
    assert {alert.link.case_a.reference, alert.link.case_b.reference} == {"J-1", "J-2"}
    assert alert.analyst == "analyst1"

    # The analyst answers it.
    sign_out_and_in(page, analyst)
    expect(page.locator("#alerts")).to_have_text("Alerts awaiting my answer (1)")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Alerts").click()
    page.get_by_role("link", name="J-1 and J-2").click()
    explanation = page.locator(".vigil-explanation")
    expect(explanation).to_contain_text("phone +447700900461")
    expect(explanation).to_contain_text("caller (Caller Onesperson)")
    expect(explanation).to_contain_text("friend (Friend Twosperson)")
    page.get_by_label("Confirm: the two deaths are linked").check()
    page.get_by_label("Reason").fill("The caller of one is the friend of the other; GHB in both.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You confirmed the link."
    )
    assert axe(page) == []

    # The series: both deaths on the map, the timeline and the link chart.
    page.locator(".vigil-series-joined").get_by_role("link", name="Series J-1").click()
    expect(page.locator(".leaflet-overlay-pane path.vigil-map-case")).to_have_count(2)
    expect(page.locator(".vigil-map-label")).to_have_text(["1. J-1", "2. J-2"])
    expect(page.locator(".vigil-series-timeline .moj-timeline__title")).to_have_text(["J-1", "J-2"])
    page.wait_for_function("() => window.vigil && window.vigil.seriesChart")
    cases = page.evaluate("() => window.vigil.seriesChart.nodes('.case').map((n) => n.id())")
    assert sorted(cases) == ["case:J-1", "case:J-2"]
    shared = page.evaluate("() => window.vigil.seriesChart.nodes('.shared').map((n) => n.id())")
    assert shared == ["identifier:phone:+447700900461"]
    assert axe(page) == []
