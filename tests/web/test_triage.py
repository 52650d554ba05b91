"""The triage pages through Django's test client: the queue (what each report is, never what it
says), a report opened with the team passphrase (shown in that answer only, never kept and
never put back in the page), a wrong passphrase beside its field, replying, closing and linking
to a case; every other role refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from tests.triage import SECRET_WORDS, TEAM_PASSPHRASE, install_team_key, make_report
from vigil import services
from vigil.domain import UserRole
from vigil.domain.access import Permission, allows
from vigil.domain.sealing import open_sealed
from vigil.records import models as m

PAST = datetime.now(UTC) - timedelta(hours=2)


@pytest.fixture
def safeguarding(client, db, settings):
    install_team_key(settings)
    make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    sign_in(client, "safeguarding1")
    return client


def page_of(report) -> str:
    return reverse("triage-detail", args=[report.submission.pk])


def errors_beside(html: str) -> dict[str, str]:
    found = re.findall(
        r'<p id="([\w-]+)-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        html,
    )
    return {field: message.replace("&#x27;", "'") for field, message in found}


def test_the_queue_lists_reports_without_their_words(safeguarding, settings):
    overdue = make_report(settings, answer_due=PAST)
    response = safeguarding.get(reverse("triage-queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{page_of(overdue)}">Report {overdue.submission.pk}</a>' in html
    assert "Drugging or sexual violence" in html and "Overdue" in html
    assert SECRET_WORDS not in html and "quietfox" not in html
    menu = html.split('<nav aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/triage/" aria-current="page">Portal reports<' in menu
    bad = safeguarding.get(reverse("triage-queue") + "?kind=nonsense")
    assert (
        bad.status_code == 400 and "Choose a kind of report from the list" in bad.content.decode()
    )


def test_opening_shows_the_report_once_and_never_the_passphrase(safeguarding, settings):
    report = make_report(settings, answer_due=PAST)
    closed = safeguarding.get(page_of(report))
    assert closed.status_code == 200
    assert SECRET_WORDS not in closed.content.decode()
    assert 'type="password"' in closed.content.decode()

    opened = safeguarding.post(page_of(report), {"action": "open", "passphrase": TEAM_PASSPHRASE})
    html = opened.content.decode()
    assert opened.status_code == 200
    assert SECRET_WORDS in html and "Their profile name or handle" in html
    assert "@quietfox_test" in html
    assert TEAM_PASSPHRASE not in html  # not put back into the passphrase box
    assert "no-store" in opened["Cache-Control"]
    assert TEAM_PASSPHRASE not in str(dict(safeguarding.session))
    assert 'id="triage-reply"' in html
    # the next answer shows it closed again
    assert SECRET_WORDS not in safeguarding.get(page_of(report)).content.decode()


def test_a_wrong_passphrase_is_named_beside_its_field(safeguarding, settings):
    report = make_report(settings)
    response = safeguarding.post(page_of(report), {"action": "open", "passphrase": "guess" * 4})
    html = response.content.decode()
    assert response.status_code == 400
    assert errors_beside(html) == {
        "passphrase": "The team passphrase is not the team's: check it and try again"
    }
    assert 'href="#passphrase"' in html  # the error summary links to the field
    assert "guess" not in html and SECRET_WORDS not in html
    empty = safeguarding.post(page_of(report), {"action": "open", "passphrase": ""})
    assert errors_beside(empty.content.decode()) == {"passphrase": "The team passphrase: enter it"}


def test_reply_close_and_link_to_a_case(safeguarding, settings):
    sergeant = make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    services.open_case(sergeant, "D-1", suspicious_report(), known_at=T0)
    report = make_report(settings, answer_due=PAST)
    url = page_of(report)

    replied = safeguarding.post(url, {"action": "reply", "text": "We have read it. Thank you."})
    assert replied.status_code == 302 and replied["Location"] == url
    banner = safeguarding.get(url).content.decode()
    assert "Your reply is sealed and waiting for the reporter." in banner
    message = m.PortalMessage.objects.get(submission=report.submission)
    assert b"Thank you" not in bytes(message.sealed)
    assert open_sealed(bytes(message.sealed), report.reporter) == b"We have read it. Thank you."

    unknown = safeguarding.post(url, {"action": "link", "reference": "NOPE-1"})
    assert errors_beside(unknown.content.decode()) == {
        "reference": "Case reference: there is no case 'NOPE-1'"
    }
    linked = safeguarding.post(url, {"action": "link", "reference": "D-1"})
    assert linked.status_code == 302
    assert m.Submission.objects.get(pk=report.submission.pk).case_reference == "D-1"

    empty = safeguarding.post(url, {"action": "close", "outcome": ""})
    assert errors_beside(empty.content.decode()) == {"outcome": "The outcome: enter it"}
    done = safeguarding.post(url, {"action": "close", "outcome": "Advice given; closed."})
    assert done.status_code == 302
    after = safeguarding.get(url).content.decode()
    assert "Closed with an outcome" in after and "Advice given; closed." in after
    assert 'id="triage-close"' not in after


def test_the_overdue_report_is_on_the_dashboard_with_a_link_to_it(safeguarding, settings):
    report = make_report(settings, answer_due=PAST)
    html = safeguarding.get(reverse("dashboard")).content.decode()
    assert f'href="{page_of(report)}">Portal report {report.submission.pk}</a>' in html
    assert "Answer the report from the portal" in html


@pytest.mark.parametrize(
    "role",
    [r for r in UserRole if not allows(r, Permission.TRIAGE_REPORTS)],
    ids=lambda r: r.value,
)
def test_other_roles_are_refused_the_pages(client, db, settings, role):
    report = make_report(settings)
    make_user("someone", role)
    sign_in(client, "someone")
    assert client.get(reverse("triage-queue")).status_code == 403
    assert client.get(page_of(report)).status_code == 403
    posted = client.post(page_of(report), {"action": "open", "passphrase": TEAM_PASSPHRASE})
    assert posted.status_code == 403 and SECRET_WORDS not in posted.content.decode()
