"""The portal's pages through Django's test client: headers on every answer, no cookie, no sign-in,
forms that keep what was typed, and the same answer whether or not a concern names a case.

The reporters and cases are synthetic.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import T0, suspicious_report
from tests.portal.pages import (
    DRUGGING,
    header_problems,
    post_code,
    post_form,
    post_message,
    post_report,
    receipt_code,
)
from tests.portal.setup import report_token, set_up_portal
from tests.signin import sign_in
from vigil import services
from vigil.records.models import Submission
from vigil.services.portal.submissions import DAILY_LIMIT, UNKNOWN_CODE


@pytest.fixture
def portal(db, settings):
    set_up_portal(settings)


@pytest.fixture
def client() -> Client:
    return Client()


def text_of(response) -> str:
    """The page's words, without its markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_portal_answer_carries_the_portal_headers_and_no_cookie(portal, client):
    code = receipt_code(post_report(client, DRUGGING))
    answers = {
        "GET /report/": client.get("/report/"),
        "GET /report/drugging/": client.get("/report/drugging/"),
        "GET /report/concern/": client.get("/report/concern/"),
        "GET /report/return/": client.get("/report/return/"),
        "GET /report/done/": client.get("/report/done/"),
        "POST /report/done/ refused": post_report(client, {"who": "me"}),
        "POST /report/done/": post_report(client, DRUGGING),
        "POST /report/return/": post_code(client, code),
        "PUT /report/": client.put("/report/"),
        "POST files": client.post("/report/done/", {"file": b"x"}),  # multipart
    }
    problems = [f"{name}: {p}" for name, r in answers.items() for p in header_problems(r)]
    assert problems == []
    assert answers["GET /report/done/"].status_code == 302  # nothing to show: back to the start
    assert answers["PUT /report/"].status_code == 405
    assert answers["POST files"].status_code == 415
    assert client.cookies == {}


def test_the_pages_load_nothing_from_elsewhere_and_run_no_script(portal, client):
    for path in ("/report/", "/report/drugging/", "/report/concern/", "/report/return/"):
        page = client.get(path).content.decode()
        assert "<script" not in page and "csrfmiddlewaretoken" not in page
        addresses = re.findall(r'(?:href|src|action)="([^"]*)"', page)
        assert addresses and all(a.startswith(("/", "#")) for a in addresses), path


def test_a_signed_in_officer_is_not_needed_and_not_redirected(portal, client, officer):
    assert client.get("/report/").status_code == 200
    half_signed_in = Client()  # a password given, not yet the code from the authenticator
    half_signed_in.force_login(get_user_model().objects.get(username="officer1"))
    assert half_signed_in.get("/cases/").status_code == 302  # elsewhere: sent to the code page
    assert half_signed_in.get("/report/").status_code == 200
    signed_in = Client()
    sign_in(signed_in, "officer1")
    assert signed_in.get("/report/drugging/").status_code == 200


def test_without_a_team_key_the_portal_says_kindly_where_else_to_go(db, settings, client):
    set_up_portal(settings, portal_public_key="")
    for path in ("/report/", "/report/drugging/", "/report/concern/"):
        words = text_of(client.get(path))
        assert "Reporting online is not available yet" in words, path
        assert all(number in words for number in ("999", "101", "0800 555 111")), path
    assert "Tell us about drugging" not in text_of(client.get("/report/"))


def test_a_drugging_report_sent_and_read_back_with_its_code(portal, client):
    done = post_report(client, DRUGGING)
    assert done.status_code == 200 and not done.has_header("Location")
    code = receipt_code(done)
    assert "Write your receipt code down now" in text_of(done)
    page = text_of(post_code(client, code.upper()))
    assert "Your report and our replies" in page
    assert "It happened to me" in page and "quietheron42" in page
    sent = text_of(post_message(client, code, "He drove a red estate car."))
    assert "Your message is sent" in sent and "He drove a red estate car." in sent
    assert "From you" in sent


def test_a_refused_report_comes_back_with_what_was_typed_and_why(portal, client):
    answers = {**DRUGGING, "contact": "yes", "contact_how": ""}
    refused = post_report(client, answers)
    page = refused.content.decode()
    assert refused.status_code == 200 and not Submission.objects.exists()
    assert "There is a problem" in page
    assert "Tell us how we can contact you safely" in page
    assert 'href="#contact_how"' in page  # the summary links to the field
    assert 'value="quietheron42"' in page and "stranger&#x27;s flat" in page
    assert re.search(r'name="token" value="[0-9]+\.[0-9a-f]+\.[0-9a-f]+"', page)  # a new one


def test_a_refused_message_keeps_its_words_and_a_wrong_code_is_told_plainly(portal, client):
    code = receipt_code(post_report(client, DRUGGING))
    long_message = "word " * 1200
    refused = post_message(client, code, long_message)
    assert "Your message is too long" in text_of(refused)
    assert long_message.strip() in refused.content.decode()
    wrong = text_of(post_code(client, "pending ramble thus oboe diagram unsaid wow"))
    assert UNKNOWN_CODE in wrong.replace("&#x27;", "'")


def test_a_report_over_the_daily_limit_keeps_what_was_typed(db, settings, client):
    set_up_portal(settings, portal_daily_limit=0)
    refused = post_report(client, DRUGGING)
    assert DAILY_LIMIT.split(":")[0] in text_of(refused)
    assert 'value="quietheron42"' in refused.content.decode()


def test_a_concern_is_told_the_same_whether_or_not_it_names_a_case(portal, client, officer):
    services.open_case(officer, "BK-2015-0002", suspicious_report(), known_at=T0)
    concern = {
        "relationship": "his flatmate",
        "concern": "His phone was never looked for.",
        "contact": "no",
    }
    pages = []
    for reference in ("BK-2015-0002", "BK-0000-0000"):
        done = post_report(client, {**concern, "case_reference": reference}, "family_concern")
        code = receipt_code(done)
        pages.append(done.content.decode().replace(code, "CODE").split("</ol>", 1)[1])
        pages[-1] += text_of(post_code(client, code)).replace(reference, "REF")
    assert pages[0] == pages[1]
    assert sorted(Submission.objects.values_list("case_reference", flat=True)) == [
        "",
        "BK-2015-0002",
    ]


def test_a_big_or_multipart_body_is_refused_unread(portal, client):
    big = post_form(client, "/report/done/", {"what_happened": "x" * 70_000, "kind": "drugging"})
    assert big.status_code == 413 and "longer than these pages can take" in text_of(big)
    token = report_token()
    upload = client.post("/report/done/", {"kind": "drugging", "token": token, "f": b"data"})
    assert upload.status_code == 415
    assert not Submission.objects.exists()
