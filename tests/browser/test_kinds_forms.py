"""The forms of the records other than deaths in real Chromium (issue 13): an officer records a
drugging report and an intelligence entry from the New report page, and each record's page
shows its own kind's sections, not a death's (no scene, toxicology, category or checklist); a
safeguarding officer makes a record of a portal report, checking its facts first. Every page
is checked with axe-core.

Everyone is synthetic: invented names, handles and numbers in Ofcom's drama range.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.triage import SECRET_WORDS, TEAM_PASSPHRASE, install_team_key, make_report
from vigil.domain import UserRole
from vigil.records import models as m

DEATH_ONLY = ("Scene", "Toxicology", "Category", "Checklist")


def _local(when: datetime) -> str:
    """A datetime-local input's value (the browser runs in Europe/London, as Vigil shows)."""
    return when.astimezone().strftime("%Y-%m-%dT%H:%M")


def _new(page: Page, link: str, heading: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="New report").click()
    page.get_by_role("navigation", name="Kinds of record").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert axe(page) == []


def _no_death_sections(page: Page) -> None:
    headings = page.locator("main").get_by_role("heading").all_inner_texts()
    assert not [h for h in headings if h.strip() in DEATH_ONLY], headings


def test_an_officer_records_a_drugging_report_and_an_intelligence_entry(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    happened = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3)
    sign_in(page, officer)

    _new(page, "Record a drugging report", "New drugging report")
    page.get_by_label("Case reference").fill("R-100")
    page.get_by_label("When it was reported").fill(_local(happened + timedelta(days=1)))
    page.get_by_label("When it happened").fill(_local(happened))
    page.get_by_label("Name", exact=True).fill("Jo Testsurvivor")
    page.get_by_role("group", name="Who is reporting it").get_by_label("The person harmed").check()
    page.get_by_label("How they met the person").fill("An app")
    page.get_by_label("Substances they think were used").fill("ghb, alcohol")
    page.get_by_label("The name they used").fill("Dan")
    page.get_by_label("Their handle or user name").fill("@dan_e6")
    page.get_by_label("Their phone number").fill("07700 900777")
    page.get_by_label("Their account").fill("Met him through an app; woke up hours later.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/cases/R-100/")
    expect(page.get_by_role("heading", level=1)).to_have_text("R-100")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Drugging report")).to_be_visible()
    expect(main.get_by_role("heading", name="The person reported")).to_be_visible()
    expect(main.get_by_role("heading", name="What they tell us")).to_be_visible()
    expect(main).to_contain_text("@dan_e6")
    _no_death_sections(page)
    assert axe(page) == []
    assert m.Case.objects.get(reference="R-100").kind == "drugging"

    _new(page, "Record intelligence", "New intelligence entry")
    page.get_by_label("Case reference").fill("I-100")
    page.get_by_label("When it was reported").fill(_local(happened))
    page.get_by_label("A prior police contact").check()
    page.get_by_label("Where it comes from").fill("Crime system")
    page.get_by_label("Its reference there").fill("CRIS 01/23456/15")
    page.get_by_label("The entry", exact=True).fill("Stopped with Dan Testman, who gave @dan_e6.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/cases/I-100/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Intelligence entry")).to_be_visible()
    expect(main.get_by_role("heading", name="The entry", exact=True)).to_be_visible()
    expect(main).to_contain_text("A prior police contact")
    expect(main).to_contain_text("CRIS 01/23456/15")
    _no_death_sections(page)
    assert axe(page) == []
    assert m.Case.objects.get(reference="I-100").kind == "intelligence"


def test_a_safeguarding_officer_makes_a_record_of_a_portal_report(
    page: Page, browser_user, settings
):
    install_team_key(settings)
    officer = browser_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    report = make_report(settings)
    sign_in(page, officer)
    page.goto(f"/triage/{report.submission.pk}/")
    page.get_by_label("The team passphrase").fill(TEAM_PASSPHRASE)
    page.get_by_role("button", name="Open the report").click()
    expect(page.locator("main")).to_contain_text(SECRET_WORDS)

    form = page.locator("#triage-preview")
    form.get_by_label("Make a drugging report record").check()
    form.get_by_label("Reference of the new record").fill("R-200")
    form.get_by_label("The team passphrase").fill(TEAM_PASSPHRASE)
    form.get_by_role("button", name="Preview the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the record before you make it")
    main = page.locator("main")
    expect(main).to_contain_text("@quietfox_test")
    expect(main).to_contain_text(SECRET_WORDS)
    expect(main).to_contain_text("Restricted to the safeguarding team: safeguarding1")
    assert not m.Case.objects.filter(reference="R-200").exists()  # nothing stored yet
    assert axe(page) == []

    page.get_by_label("The team passphrase").fill(TEAM_PASSPHRASE)
    page.get_by_role("button", name="Make the record").click()
    page.wait_for_url("**/cases/R-200/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Record R-200 is made from portal report {report.submission.pk}"
    )
    expect(page.locator("main").get_by_role("heading", name="Drugging report")).to_be_visible()
    _no_death_sections(page)
    assert axe(page) == []
    assert m.Submission.objects.get(pk=report.submission.pk).case_reference == "R-200"
