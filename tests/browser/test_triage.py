"""A safeguarding officer in real Chromium: from the menu to the portal's reports, opens one with
the team passphrase (first mistyped: refused beside the field), reads the report and the
reporter's message, and replies. The reply is stored sealed (the raw row holds none of its
words) and the reporter's key reads it. Each page is checked with axe-core.

The report is synthetic (tests/triage.py), sealed as the portal seals it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.triage import (
    SECRET_WORDS,
    TEAM_PASSPHRASE,
    install_team_key,
    make_report,
    reporter_message,
)
from vigil.domain import UserRole
from vigil.domain.sealing import open_sealed
from vigil.records import models as m

REPLY = "Thank you for trusting us with this. Would you like to talk to a specialist officer?"


def test_a_safeguarding_officer_opens_a_report_and_replies(page: Page, browser_user, settings):
    install_team_key(settings)
    officer = browser_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    report = make_report(settings, answer_due=datetime.now(UTC) - timedelta(hours=1))
    reporter_message(report, "I remembered his car was a blue estate.")
    sign_in(page, officer)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Portal reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports from the portal")
    expect(page.locator("main")).not_to_contain_text(SECRET_WORDS)
    assert axe(page) == []
    page.get_by_role("link", name=f"Report {report.submission.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Report {report.submission.pk} from the portal"
    )
    assert axe(page) == []

    # mistyped: refused beside the field, and the report stays closed
    page.get_by_label("The team passphrase").fill("kettle orchard lantern umbrela")
    page.get_by_role("button", name="Open the report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The team passphrase is not the team's: check it and try again"
    )
    expect(page.get_by_label("The team passphrase")).to_have_value("")
    expect(page.locator("main")).not_to_contain_text(SECRET_WORDS)
    assert axe(page) == []

    page.get_by_label("The team passphrase").fill(TEAM_PASSPHRASE)
    page.get_by_role("button", name="Open the report").click()
    main = page.locator("main")
    expect(main).to_contain_text(SECRET_WORDS)
    expect(main).to_contain_text("@quietfox_test")
    expect(main).to_contain_text("I remembered his car was a blue estate.")
    expect(page.locator("#report-status")).to_have_text("Opened, being handled")
    assert axe(page) == []

    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your reply is sealed and waiting for the reporter."
    )
    expect(page.locator("main")).not_to_contain_text(SECRET_WORDS)  # closed again
    assert axe(page) == []

    reply = m.PortalMessage.objects.get(submission=report.submission, author="officer")
    raw = bytes(reply.sealed)
    assert REPLY.encode() not in raw and b"specialist" not in raw
    assert open_sealed(raw, report.reporter).decode() == REPLY
    assert m.Submission.objects.get(pk=report.submission.pk).answer_due is None
