"""The notice of a restricted link on the pages (issue 13): the death's analyst finds it on their
dashboard and the case page, and answers it there with what the safeguarding team said; no page
they can open holds the record's reference or any fact of it (``tests.notices.MARKERS``).
Synthetic people only."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.notices import TEAM_WORDS, leaked, linked
from tests.signin import sign_in
from tests.web.test_report_form import errors_beside
from vigil.domain import UserRole
from vigil.records import models as m


@pytest.fixture
def notice(db, settings) -> str:
    make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    make_user("analyst1", UserRole.ANALYST)
    make_user("investigator1", UserRole.INVESTIGATOR)
    return linked(settings).notice


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_the_analyst_reads_the_notice_and_nothing_of_the_record(client, notice):
    sign_in(client, "analyst1")
    answer = reverse("case-notice-answer", args=["D-1", notice])
    pages = {
        url: page(client, url)
        for url in (
            reverse("case-detail", args=["D-1"]),
            reverse("dashboard"),
            reverse("alert-list") + "?status=all",
            reverse("search") + "?q=quietfox_test",
            answer,
        )
    }
    assert TEAM_WORDS in pages[reverse("case-detail", args=["D-1"])]
    assert f'href="{answer}"' in pages[reverse("case-detail", args=["D-1"])]
    assert notice in pages[reverse("dashboard")] and "Answer notice" in pages[answer]
    assert {url: leaked(text) for url, text in pages.items() if leaked(text)} == {}


def test_the_deaths_officers_read_the_notice_only(client, notice):
    for username, may_answer in (("sergeant1", True), ("investigator1", False)):
        sign_in(client, username)
        case_page = page(client, reverse("case-detail", args=["D-1"]))
        assert TEAM_WORDS in case_page and leaked(case_page) == []
        answer = reverse("case-notice-answer", args=["D-1", notice])
        assert (f'href="{answer}"' in case_page) is may_answer
    sign_in(client, "sergeant1")  # who may read the case's audit trail
    trail = page(client, reverse("audit-trail") + "?case=D-1")
    assert "raised an action on D-1" in trail and leaked(trail) == []


def test_the_analyst_answers_the_notice(client, notice):
    sign_in(client, "analyst1")
    url = reverse("case-notice-answer", args=["D-1", notice])
    version = m.Case.objects.get(reference="D-1").version

    empty = client.post(url, {"version": version, "result": ""})
    assert empty.status_code == 200 and "result" in errors_beside(empty)
    said = "Spoke to safeguarding1: nothing may be shared yet."
    answered = client.post(url, {"version": version, "result": said})

    assert answered.status_code == 302, errors_beside(answered)
    assert answered["Location"] == reverse("case-detail", args=["D-1"])
    row = m.Action.objects.get(case__reference="D-1", ref=notice)
    assert (row.state, row.result) == ("resulted", said)
    case_page = page(client, answered["Location"])
    assert f"Notice {notice} answered on case D-1." in case_page
    assert f'href="{url}"' not in case_page  # answered: no more to do
    assert "not a notice waiting for an answer" in page(client, url)
    sign_in(client, "investigator1")
    assert client.get(url).status_code == 403  # an investigator moves it on as any action
