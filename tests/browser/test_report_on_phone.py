"""The death report on a phone at a scene, in real Chromium at 390 x 844: a short first page of
what the first officer knows saves a draft case; each section of the rest is opened and saved on
its own; on a desktop the policy panel stays in view beside a long form. axe-core finds no
serious or critical violation on any of these pages."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.browser.test_officer_pages import FLOOR, _local, found_at
from tests.conftest import suspicious_report
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m

PHONE = {"width": 390, "height": 844}


def test_the_first_page_fits_a_phone_and_saves_a_draft_then_a_section_is_saved_alone(
    page: Page, browser_user
):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    page.set_viewport_size(PHONE)
    sign_in(page, officer)
    page.goto("/cases/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New death report")
    # the first page: one column no wider than the screen, a few screens long, no more
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    inputs = page.locator("#report-form").locator("input:not([type=hidden]), select, textarea")
    assert inputs.count() <= 40  # radios counted one by one; the whole report has over 80
    assert page.evaluate("() => document.documentElement.scrollHeight") < 8 * PHONE["height"]
    expect(page.get_by_label("Substances found")).to_have_count(0)
    assert axe(page) == []

    page.get_by_label("Case reference").fill("P-1")
    page.get_by_label("When the body was found").fill(_local(found_at()))
    page.get_by_label("Address or description of the place").fill("Abbey Green, London IG11")
    # the type of place left for later: the case is a draft
    page.locator("#scene-phone-2").check()  # Missing
    page.locator("#scene-moved_after_death").check()  # Yes
    page.locator("#scene-note_present").check()  # Yes
    page.get_by_label("What they said").fill("He was drunk and fell asleep on the bench.")
    page.get_by_label("What they said").blur()
    expect(page.locator("#preview-floor")).to_have_text(FLOOR)  # the live preview works
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/cases/P-1/")
    expect(page.locator(".govuk-notification-banner--success").first).to_contain_text(
        "Draft saved on case P-1. Still to record: type of place."
    )
    report = services.view_case(officer.actor, "P-1", face="test").view.report
    assert report.scene.phone == "missing" and report.scene.note_present is True

    # the rest, one section at a time
    page.goto("/cases/P-1/edit/sections/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete the report")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe(page) == []
    page.get_by_role("link", name="Toxicology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toxicology")
    expect(page.get_by_label("Address or description of the place")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#toxicology-status-2").check()  # Pending
    page.get_by_label("Substances found").fill("ghb")
    page.get_by_label("Substances found").blur()
    expect(page.locator("#preview-reasons")).to_contain_text("A sedative used to drug people")
    assert axe(page) == []
    facts = m.Fact.objects.filter(case__reference="P-1").count()
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_url("**/cases/P-1/edit/sections/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Toxicology: saved on case P-1."
    )
    expect(page.locator("#section-toxicology-status")).to_have_text("Started")
    new = m.Fact.objects.filter(case__reference="P-1").order_by("pk")[facts:]
    assert sorted(f.path for f in new) == ["toxicology.status", "toxicology.substances"]
    assert axe(page) == []


def test_on_a_desktop_the_policy_panel_stays_beside_the_form(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    services.open_case(officer.actor, "P-2", suspicious_report())
    sign_in(page, officer)
    page.goto("/cases/P-2/edit/")
    panel = page.locator("#report-preview")
    expect(panel.locator("#preview-floor")).to_have_text(FLOOR)
    page.locator("#group-toxicology").scroll_into_view_if_needed()  # far down the form
    box = panel.bounding_box()
    assert box is not None and 0 <= box["y"] <= 30  # held at the top of the window (sticky)
    assert page.evaluate("() => window.scrollY") > 1000
    assert axe(page) == []
