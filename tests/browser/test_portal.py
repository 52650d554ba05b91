"""The public portal in real Chromium with JavaScript off (issue 13's "done when"): a person sends
a drugging report, gets a receipt code, comes back with it, sees their report, reads the
officer's reply and answers. Every request the pages make is recorded: all go to Vigil itself.
The portal's own Content-Security-Policy is in force (the context does not bypass it).

The reporter, the handle and the officer are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe
from tests.browser.test_every_page import internal_names
from tests.conftest import make_user
from tests.portal.setup import set_up_portal
from vigil import services
from vigil.domain import UserRole
from vigil.records.models import Submission
from vigil.services.portal.submissions import FORM_MIN_AGE

WAIT_MS = int(FORM_MIN_AGE.total_seconds() * 1000) + 500  # a person takes longer than a bot
HANDLE = "mossyotter19"


@pytest.fixture
def portal(settings, transactional_db) -> None:
    set_up_portal(settings)


@pytest.fixture
def no_script(browser: Browser, live_server: Any) -> Iterator[tuple[Page, list[str]]]:
    """A page with JavaScript off and the site's headers in force, and every URL it asks for."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    yield context.new_page(), asked
    context.close()


def test_a_report_sent_and_answered_with_javascript_off(portal, no_script, live_server):
    page, asked = no_script
    page.goto("/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what happened, safely")
    page.get_by_role("button", name="Tell us about drugging or sexual violence").click()
    page.get_by_label("It happened to me").check()
    page.get_by_label("When did it happen?").fill("A Saturday night in March")
    page.get_by_label("What happened?").fill(
        "We met on an app. After one drink I remember nothing."
    )
    page.get_by_label("Their profile name or handle").fill(HANDLE)
    page.get_by_label("No, I will come back with my receipt code").check()
    page.wait_for_timeout(WAIT_MS)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", name="Thank you: it is sent")).to_be_visible()
    code = page.locator("#receipt-code").inner_text()
    assert len(code.split()) == 7
    assert code not in page.url

    page.get_by_role("link", name="Come back with your receipt code").first.click()
    page.get_by_label("Your receipt code").fill(code.upper())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your report and our replies")).to_be_visible()
    report = page.locator("#your-report")
    expect(report).to_contain_text(HANDLE)
    expect(report).to_contain_text("It happened to me")
    expect(page.locator("main")).to_contain_text("No messages yet")

    officer = make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    reply = "Thank you for telling us. Would you be willing to speak to an officer?"
    services.reply_to_reporter(officer, Submission.objects.get().pk, reply)

    page.goto("/report/return/")
    page.get_by_label("Your receipt code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text(reply)
    expect(page.locator("main")).to_contain_text("From the specialist team")
    page.get_by_label("Add a message").fill("Yes, by text message after 6pm please.")
    page.wait_for_timeout(WAIT_MS)
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("main")).to_contain_text("Your message is sent")
    expect(page.locator("main")).to_contain_text("Yes, by text message after 6pm please.")
    expect(page.locator("main")).to_contain_text(reply)

    origin = urlsplit(live_server.url).netloc
    elsewhere = [url for url in asked if urlsplit(url).netloc != origin]
    assert asked and elsewhere == []
    assert internal_names(page.locator("body").inner_text()) == []


@pytest.mark.parametrize("path", ["/report/", "/report/drugging/", "/report/concern/"])
def test_the_portal_pages_are_accessible_and_show_no_internal_names(portal, page, path):
    response = page.goto(path)
    assert response is not None and response.ok
    assert internal_names(page.locator("body").inner_text()) == []
    assert axe(page) == []
