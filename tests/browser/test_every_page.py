"""Every page each role can reach, in real Chromium: signed in as each role, every link of the
menu is followed, then a case, an alert and a series where the role may see them, and an
unknown case. No page refuses (403) or fails (500); no page's visible text shows a snake_case
code or a dotted field path; axe-core finds no serious or critical violation. The error pages
(403, 404, 500) are held to the same.

The cases are synthetic (tests/conftest.py's factories and tests/web/casework.py): a
suspicious death with casework, an expected death, and the linked GHB pair confirmed as a series.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe, sign_in
from tests.conftest import T0, expected_report, suspicious_report, two_similar_deaths
from tests.web.casework import add_casework
from vigil import services
from vigil.domain import UserRole
from vigil.domain.access import Permission, permissions_of
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # unexpected_under_investigation, response_officer
DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # attendance.sergeant_or_above, scene.phone
# Text that may hold a dot or an underscore and is no internal name: e-mail addresses, web
# addresses and domain names (example.com, gov.uk), file names people gave.
NOT_NAMES = re.compile(
    r"\S+@\S+"
    r"|\bhttps?://\S+"
    r"|\b(?:[\w-]+\.)+(?:com|org|net|uk|io|gov|eu)\b\S*"
    r"|\b[\w-]+\.(?:png|jpe?g|pdf|txt|csv|json|docx?)\b",
    re.IGNORECASE,
)


def internal_names(text: str) -> list[str]:
    """The snake_case codes and dotted paths in a page's visible text."""
    plain = NOT_NAMES.sub(" ", text)
    return sorted(set(SNAKE.findall(plain)) | set(DOTTED.findall(plain)))


def test_the_checks_catch_what_they_are_for():
    leaked = "Why: attendance.sergeant_or_above is false. Category unexpected_under_investigation"
    assert {"attendance.sergeant_or_above", "unexpected_under_investigation"} <= set(
        internal_names(leaked)
    )
    fine = (
        "Mail sam.testperson@example.com, see https://www.gov.uk/x or example.org; scene.png "
        "was attached. Found 1.2 km away at 07:30. Unexpected, under investigation."
    )
    assert internal_names(fine) == []


def store(officer: Any, analyst: Any) -> dict[str, str]:
    """The synthetic cases, an alert and a confirmed series; the addresses of one of each."""
    services.open_case(officer.actor, "W-1", suspicious_report(), known_at=T0)
    add_casework(officer.actor, "W-1", T0, owner=officer.username)
    services.open_case(officer.actor, "W-2", expected_report(), known_at=T0)
    two_similar_deaths(officer.actor)
    link = m.CaseLink.objects.get(case_a__reference="L-1", case_b__reference="L-2")
    judge(analyst.actor, link.pk, Verdict.CONFIRM, "Same phone, same drug.")
    return {"case": "/cases/W-1/", "alert": f"/alerts/{link.pk}/", "series": "/series/L-1/"}


def visit(page: Page, address: str) -> tuple[int, str, list[str], list[dict[str, Any]]]:
    """Open ``address``: its status, visible text, internal names shown and axe's findings."""
    response = page.goto(address)
    assert response is not None, address
    page.wait_for_load_state("networkidle")
    text = page.locator("body").inner_text()
    return response.status, text, internal_names(text), axe(page)


def menu_links(page: Page) -> list[str]:
    menu = page.get_by_role("navigation", name="Menu").get_by_role("link")
    return menu.evaluate_all("links => links.map((a) => a.getAttribute('href'))")


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
def test_every_page_a_role_reaches_is_allowed_plain_and_accessible(
    page: Page, browser_user, role: UserRole
):
    officer = browser_user("officer", UserRole.RESPONSE_OFFICER)
    analyst = browser_user("analyst", UserRole.ANALYST)
    user = {UserRole.RESPONSE_OFFICER: officer, UserRole.ANALYST: analyst}.get(role)
    user = user or browser_user(role.value.split("_")[0], role)
    addresses = store(officer, analyst)
    sign_in(page, user)

    links = menu_links(page)
    assert links and len(links) == len(set(links))
    allowed = permissions_of(role)
    extra = [addresses["case"]]
    if Permission.VIEW_ALERTS in allowed:
        extra.append(addresses["alert"])
    if Permission.VIEW_SERIES in allowed:
        extra.append(addresses["series"])

    problems: list[str] = []
    for address in links + extra:
        status, _, names, violations = visit(page, address)
        if status != 200:
            problems.append(f"{address}: status {status}")
        if names:
            problems.append(f"{address}: shows {names}")
        if violations:
            problems.append(f"{address}: axe {violations}")
        if address in links:  # the menu is the same on every page the role reaches
            assert menu_links(page) == links, address

    status, text, names, violations = visit(page, "/cases/NO-SUCH-CASE/")
    assert status == 404 and "Page not found" in text
    assert names == [] and violations == []
    assert problems == []


@pytest.mark.urls("tests.web.error_page_urls")
def test_the_error_pages_are_in_the_design_system_and_accessible(page: Page, browser_user):
    panel = browser_user("panel", UserRole.PANEL_MEMBER)
    sign_in(page, panel)
    for address, status, heading in [
        ("/alerts/", 403, "You cannot use this page"),
        ("/no-such-page/", 404, "Page not found"),
        ("/boom/", 500, "Sorry, there is a problem with the service"),
    ]:
        seen, text, names, violations = visit(page, address)
        assert seen == status, address
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert "Go to your dashboard" in text
        assert names == [] and violations == [], address
    # the refusal says why, in words, and the way back works
    visit(page, "/alerts/")
    assert "A panel member may not see linkage alerts." in page.locator("main").inner_text()
    page.get_by_role("link", name="Go to your dashboard").click()
    page.wait_for_url("**/dashboard/")
