"""When someone else saved the case first, in real Chromium with two browsers: A opens the
report, B saves a change, A saves: A sees what B changed (their value, who and when), A's input
is kept, A applies it on top of the current version, and the case holds both changes."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe, sign_in
from tests.conftest import suspicious_report
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m


def _second_page(browser: Browser, live_server: Any) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def test_someone_else_saved_first(page: Page, browser: Browser, live_server: Any, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    investigator = browser_user("investigator1", UserRole.INVESTIGATOR)
    services.open_case(officer.actor, "K-1", suspicious_report())
    other = _second_page(browser, live_server)
    try:
        # A reads the report
        sign_in(page, officer)
        page.goto("/cases/K-1/edit/")
        # B saves a change meanwhile
        sign_in(other, investigator)
        other.goto("/cases/K-1/edit/")
        other.locator("#scene-wallet-2").check()  # Missing
        other.get_by_role("button", name="Save as draft").click()
        other.wait_for_url("**/cases/K-1/")
    finally:
        other.context.close()

    # A saves: nothing is saved, A sees what B changed, and what A typed is still there
    page.locator("#scene-note_present-2").check()  # No
    page.get_by_label("Summary of the circumstances").fill("Seen leaving a flat with two men.")
    facts = m.Fact.objects.count()
    page.get_by_role("button", name="Save as draft").click()
    banner = page.locator("#conflict")
    expect(banner).to_contain_text("Someone else saved this case first")
    row = banner.locator("tr", has_text="Scene: wallet")
    expect(row).to_contain_text("Not known")
    expect(row).to_contain_text("Missing")
    expect(row).to_contain_text("investigator1")
    expect(banner).not_to_contain_text("Scene: was a note found")
    expect(page.locator("#scene-note_present-2")).to_be_checked()
    expect(page.get_by_label("Summary of the circumstances")).to_have_value(
        "Seen leaving a flat with two men."
    )
    assert m.Fact.objects.count() == facts
    expect(page.get_by_role("button", name="Save as draft")).to_have_count(0)
    assert axe(page) == []

    # A applies their changes on top of B's
    page.get_by_role("button", name="Apply my changes to the current version").click()
    page.wait_for_url("**/cases/K-1/")
    report = services.view_case(officer.actor, "K-1", face="test").view.report
    assert report.scene.wallet == "missing"  # B's change stands
    assert report.scene.note_present is False  # A's changes are recorded
    assert report.circumstances == "Seen leaving a flat with two men."
    mine = m.Fact.objects.order_by("pk")[facts:]
    assert sorted(f.path for f in mine) == ["circumstances", "scene.note_present"]
    assert {f.recorded_by for f in mine} == {"officer1"}
