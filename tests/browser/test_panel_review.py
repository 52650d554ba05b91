"""The independent advisory panel's review (issue 14, item 4), in real Chromium: a supervisor
refers a confirmed series to the panel; the panel member reads the redacted pack (no identities,
places only to about a kilometre) and records advice; the advice, unanswered past its deadline,
is an overdue item on the supervisor's dashboard, and the supervisor's answer clears it.

The deaths and people are synthetic (tests/conftest.py: invented names, the Ofcom drama range
for the phone, a made-up churchyard).
"""

from __future__ import annotations

import re
from unittest import mock

from playwright.sync_api import Page, expect

from tests.browser.conftest import axe, sign_in
from tests.conftest import two_similar_deaths
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge

# What identifies the people of the two deaths, or places them finely.
IDENTITIES = ("Testperson", "Caller One", "Friend Two", "07700", "St Testing", "E6 2AB")
FINE_PLACES = ("51.5386", "51.5395", "0.0811", "0.0840")


def test_a_series_referred_to_the_panel_is_advised_on_and_the_answer_clears_the_item(
    page: Page, browser_user
):
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    sergeant = browser_user("sergeant1", UserRole.REVIEWING_OFFICER)
    analyst = browser_user("analyst1", UserRole.ANALYST)
    panel = browser_user("panel1", UserRole.PANEL_MEMBER)
    two_similar_deaths(officer.actor)  # L-1 and L-2: one phone, 220 m and three weeks apart
    link = m.CaseLink.objects.get(case_a__reference="L-1", case_b__reference="L-2")
    judge(analyst.actor, link.pk, Verdict.CONFIRM, "The caller of one is the friend of the other.")

    # The supervisor refers the series from its page.
    sign_in(page, sergeant)
    page.goto("/series/L-1/")
    page.get_by_role("link", name="Refer the series to the panel").click()
    page.get_by_label("Your question for the panel").fill(
        "Were these deaths treated as unrelated for too long?"
    )
    assert axe(page) == []
    page.get_by_role("button", name="Refer to the panel").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Series L-1 referred to the advisory panel."
    )
    referral = m.PanelReferral.objects.get()
    page.get_by_role("button", name="Sign out").click()

    # The panel member finds it in their queue and reads the redacted pack.
    sign_in(page, panel)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panel").click()
    expect(page.locator("#panel-count")).to_have_text("1 referral.")
    page.get_by_role("link", name="Series L-1").click()
    main = page.locator("main")
    expect(main).to_contain_text("Were these deaths treated as unrelated for too long?")
    expect(page.locator("#pack-series")).to_contain_text("about 51.54, 0.08")
    expect(page.locator(".vigil-pack-case")).to_have_count(2)
    expect(main).to_contain_text("Name withheld")
    shown = main.inner_text()
    assert [s for s in IDENTITIES + FINE_PLACES if s in shown] == []
    assert axe(page) == []
    page.get_by_label("Your advice").fill(
        "Review both together; ask the friend about the caller's phone."
    )
    page.get_by_role("button", name="Record the advice").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your advice is recorded."
    )
    expect(page.locator("#referral-status")).to_have_text("Advice awaiting an answer")
    page.get_by_role("button", name="Sign out").click()

    # Fifteen days on, the unanswered advice is overdue on the supervisor's dashboard.
    advice = m.PanelAdvice.objects.get()
    later = advice.answer_due + (advice.answer_due - advice.at) / 14
    item = f"Panel referral {referral.pk}"
    with mock.patch("vigil.services.readmodels.dashboard.utcnow", return_value=later):
        sign_in(page, sergeant)
        page.goto("/dashboard/list/?section=overdue")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=item))
        expect(row).to_contain_text("Answer the advisory panel's advice")
        assert axe(page) == []
        row.get_by_role("link", name=item).click()
        page.wait_for_url(re.compile(rf"/panel/{referral.pk}/$"))
        assert axe(page) == []
        page.get_by_label("Accepted", exact=True).check()
        page.get_by_label("Reason").fill("Both deaths go back to the reviewing officer together.")
        page.get_by_role("button", name="Record the answer").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Your answer is recorded: accepted."
        )
        expect(page.locator("#referral-status")).to_have_text("Advice answered")
        page.goto("/dashboard/list/?section=overdue")
        expect(page.get_by_role("link", name=item)).to_have_count(0)
    assert services.panel_referrals(sergeant.actor, face="test")[0].status == "answered"
