"""The officers' pages in real Chromium: an officer records a suspicious death at the scene and
sees its floor and unmet checklist items before saving; a sergeant signs the category off from
the review queue. Every page is checked with axe-core.

The death is synthetic (the GHB deaths the Barking inquests describe, with invented details).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, screenshot, sign_in
from tests.conftest import suspicious_report
from tests.web.casework import add_casework
from vigil import services
from vigil.domain import PersonEntry, UserRole
from vigil.records import models as m

FLOOR = "Unexpected, under investigation"


def _local(when: datetime) -> str:
    """A datetime-local input's value (the browser runs in Europe/London, as Vigil shows)."""
    return when.astimezone().strftime("%Y-%m-%dT%H:%M")


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def found_at() -> datetime:
    """When the body was found: this morning (the checklist's first deadlines have passed)."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=8)


def fill_suspicious_death(
    page: Page,
    reference: str,
    found: datetime | None = None,
    where: tuple[float, float] = (51.5386, 0.0811),
) -> None:
    """A young man found in a churchyard, his phone missing, the body moved: the report's
    first page (what the first officer knows at the scene; GHB is recorded afterwards in the
    toxicology section, ``record_toxicology``)."""
    found = found or found_at()
    page.get_by_label("Case reference").fill(reference)
    page.get_by_label("When the death was reported").fill(_local(found + timedelta(minutes=20)))
    page.get_by_label("When the body was found").fill(_local(found))
    page.get_by_label("Address or description of the place").fill(
        "St Testing's churchyard, London E6 2AB"
    )
    page.get_by_label("Type of place").select_option("churchyard")
    page.get_by_label("Latitude").fill(str(where[0]))
    page.get_by_label("Longitude").fill(str(where[1]))
    page.locator("#deceased-sex").check()  # Male
    page.get_by_label("Age", exact=True).fill("23")
    page.locator("#scene-moved_after_death").check()  # Yes
    page.locator("#scene-phone-2").check()  # Missing
    page.get_by_label("What they said").fill("Found slumped against the churchyard wall at dawn.")
    page.get_by_label("What they said").blur()


def record_toxicology(page: Page, reference: str) -> None:
    """The toxicology section of a saved report, on its own: pending, GHB found; then back to
    the case page."""
    page.goto(f"/cases/{reference}/edit/toxicology/")
    page.locator("#toxicology-status-2").check()  # Pending
    page.get_by_label("Substances found").fill("ghb")
    page.get_by_role("button", name="Save this section").click()
    page.wait_for_url(f"**/cases/{reference}/edit/sections/")
    page.goto(f"/cases/{reference}/")


def test_an_officer_records_a_suspicious_death_and_a_sergeant_signs_it_off(
    page: Page, browser_user
):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    investigator = browser_user("investigator1", UserRole.INVESTIGATOR)

    # Signing in lands on the dashboard.
    sign_in(page, officer)
    assert _path(page) == "/dashboard/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert axe(page) == []

    # The new report form: the floor and the unmet items appear before anything is saved.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="New report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New death report")
    expect(page.locator("#report-preview")).to_contain_text("As you enter what you know")
    assert axe(page) == []
    fill_suspicious_death(page, "B-100")
    expect(page.locator("#preview-floor")).to_have_text(FLOOR)
    reasons = page.locator("#preview-reasons")
    expect(reasons).to_contain_text("The body was moved after death.")
    expect(reasons).to_contain_text("The deceased's phone is missing.")
    unmet = page.locator("#preview-unmet")
    expect(unmet).to_contain_text("Toxicology requested, including GHB")
    expect(unmet).to_contain_text("A sergeant or above attends")
    assert not m.Case.objects.filter(reference="B-100").exists()  # nothing saved yet
    assert axe(page) == []

    # Saved: the case page shows the floor, why, and the checklist.
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/cases/B-100/")
    expect(page.get_by_role("heading", level=1)).to_have_text("B-100")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Case B-100 opened."
    )
    expect(page.locator("#category + dl, #category ~ dl").first).to_contain_text(FLOOR)
    checklist = page.get_by_role("region", name="Unmet checklist items")
    expect(checklist).to_contain_text("Toxicology requested, including GHB")
    expect(checklist).to_contain_text("Category decided, with a rationale")
    expect(page.get_by_text("The deceased's phone is missing.").first).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("recorded by officer1")
    assert axe(page) == []
    # The rest of the report, a section at a time: GHB found.
    record_toxicology(page, "B-100")
    expect(page.get_by_text("A sedative used to drug people").first).to_be_visible()

    # Meanwhile an investigator works the case, and a second death like it is recorded.
    add_casework(investigator.actor, "B-100", found_at(), owner="sergeant1")
    second = suspicious_report(
        reported_at=found_at() - timedelta(days=20, minutes=-20),
        found_at=found_at() - timedelta(days=20),
        location__latitude=51.5395,
        location__longitude=0.0840,
        toxicology__status="confirmed",
        toxicology__substances=["ghb"],
    )
    services.open_case(officer.actor, "B-099", second)
    services.record_person(
        officer.actor,
        "B-099",
        PersonEntry(
            ref="B-099-FRIEND",
            name="Friend Twoperson",
            roles=["friend"],
            identifiers=[{"kind": "phone", "value": "+44 7700 900461"}],
        ),
    )

    # A sergeant sees it all on the dashboard, opens the review queue and signs off.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, sergeant)
    expect(page.locator("#actions")).to_have_text("My actions (1)")
    expect(page.locator("#alerts")).to_have_text("Alerts awaiting my answer (1)")
    expect(page.locator("#referrals")).to_have_text("Referrals awaiting acceptance (1)")
    assert axe(page) == []
    screenshot(page, "dashboard")
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Review", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases awaiting review")
    expect(page.locator("#queue-count")).to_have_text("2 cases awaiting review.")
    assert axe(page) == []
    page.get_by_role("link", name="B-100").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide the category of B-100")
    assert axe(page) == []
    page.locator("#sign-off-rationale").fill(
        "GHB, a missing phone and a moved body: investigate until shown otherwise."
    )
    page.get_by_role("button", name="Sign off as unexpected, under investigation").click()
    page.wait_for_url("**/review/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Case B-100: category signed off as Unexpected, under investigation."
    )
    expect(page.locator("#queue-count")).to_have_text("1 case awaiting review.")
    decision = m.CategoryDecision.objects.get(case__reference="B-100")
    assert decision.decided_by == "sergeant1"
    assert decision.category == "unexpected_under_investigation"

    page.goto("/cases/B-100/")
    expect(page.locator("body")).to_contain_text("Decided by sergeant1")
    links = page.locator("#links ~ .govuk-summary-card").first
    expect(links).to_contain_text("B-099")
    expect(links).to_contain_text("share phone +447700900461")
    expect(page.locator("#liaison ~ .govuk-summary-card").first).to_contain_text("Not answered")
    assert axe(page) == []
    screenshot(page, "case-page")


def test_a_refused_override_is_explained_beside_the_category(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sign_in(page, officer)
    page.goto("/cases/new/")
    fill_suspicious_death(page, "B-200")
    page.get_by_label("When the body was found").fill("")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/cases/B-200/")
    expect(page.locator(".govuk-notification-banner--success").first).to_contain_text(
        "Draft saved on case B-200. Still to record: when the body was found."
    )
    # completing the draft: the edit form opens with the policy's answer on the case so far
    page.get_by_role("link", name="Complete the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the report")
    expect(page.locator("#preview-floor")).to_have_text(FLOOR)
    assert axe(page) == []
    page.locator("#scene-moved_after_death-2").check()  # No: the preview follows
    expect(page.locator("#preview-reasons")).not_to_contain_text("The body was moved")
    page.goto("/review/B-200/")
    page.get_by_label("Unexpected, not suspicious").check()
    page.locator("#override-rationale").fill("Looks like a self-administered overdose.")
    page.get_by_role("button", name="Record this category").click()
    error = page.locator("#override-category-error")
    expect(error).to_contain_text("below this case's floor")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert not m.CategoryDecision.objects.filter(case__reference="B-200").exists()
    assert axe(page) == []


def test_a_report_with_errors_keeps_what_was_typed_on_a_phone(page: Page, browser_user):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, officer)
    page.goto("/cases/new/")
    # one column on a phone: nothing wider than the screen, inputs as wide as the column
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.get_by_label("Address or description of the place").bounding_box()
    assert box is not None and box["width"] > 300
    page.get_by_label("Case reference").fill("B-300")
    page.get_by_label("When the body was found").fill("")
    page.get_by_label("Name", exact=True).fill("Sam Testperson")
    page.get_by_label("Age", exact=True).fill("230")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Age must be 130 or less")
    expect(summary).to_contain_text("Enter when the body was found")
    expect(page.locator("#deceased-age-error")).to_contain_text("Age must be 130 or less")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Sam Testperson")
    expect(page).to_have_title("Error: New death report \N{EN DASH} Vigil")
    assert not m.Case.objects.filter(reference="B-300").exists()
    assert axe(page) == []
