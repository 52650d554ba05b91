"""The casework forms in real Chromium: an investigator adds a person with a phone from the case
page, first with a mistake (shown in the error summary and beside the field, nothing written),
then correctly, and sees them on the case page. Each page is checked with axe-core.

The case and the person are synthetic (the Ofcom drama range for the phone).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m


def test_an_investigator_adds_a_person_with_a_phone(page: Page, browser_user):
    investigator = browser_user("investigator1", UserRole.INVESTIGATOR)
    services.open_case(investigator.actor, "W-1", suspicious_report(), known_at=T0)
    sign_in(page, investigator)

    page.goto("/cases/W-1/")
    page.get_by_role("link", name="Add a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    assert axe(page) == []

    # A phone number that is not one, and no part in the case: refused, nothing written.
    page.get_by_label("Name", exact=True).fill("Chris Callerperson")
    page.locator("#identifiers-0-value").fill("call me")
    page.get_by_role("button", name="Add the person").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Their part in the case: select at least one")
    expect(page.locator("#identifiers-0-value-error")).to_contain_text(
        "Identifier 1: 'call me' is not a phone number"
    )
    expect(page.get_by_label("Name", exact=True)).to_have_value("Chris Callerperson")
    assert not m.Person.objects.exists()
    assert axe(page) == []

    # Corrected: recorded, and shown on the case page with the phone in its canonical form.
    page.get_by_label("Caller").check()
    page.locator("#identifiers-0-kind").select_option("phone")
    page.locator("#identifiers-0-value").fill("07700 900461")
    page.get_by_role("button", name="Add the person").click()
    page.wait_for_url("**/cases/W-1/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Chris Callerperson recorded on case W-1 as caller."
    )
    persons = page.get_by_role("region", name="Persons on this case")
    expect(persons).to_contain_text("Chris Callerperson")
    expect(persons).to_contain_text("phone: 07700 900461")
    assert axe(page) == []
