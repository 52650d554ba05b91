"""Making a record of a portal report from its triage page (issue 13, item 3): the officer
chooses the record, sees its facts before anything is stored (decrypted for that answer only),
types the passphrase again to make it, and lands on the new record's page, which shows its
kind's sections. Refusals are named beside their field and change nothing; other roles are
refused; nobody outside the safeguarding team sees the record."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.signin import sign_in
from tests.triage import SECRET_WORDS, TEAM_PASSPHRASE, install_team_key, make_report
from tests.web.test_triage import errors_beside, page_of
from vigil.domain import UserRole
from vigil.records import models as m

PREVIEW = {
    "action": "preview",
    "record_kind": "drugging",
    "record_reference": "R-1",
    "make_passphrase": TEAM_PASSPHRASE,
}
MAKE = {**PREVIEW, "action": "make", "intelligence_type": ""}


@pytest.fixture
def safeguarding(client, db, settings):
    install_team_key(settings)
    make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    sign_in(client, "safeguarding1")
    return client


def test_the_preview_shows_the_facts_and_the_record_is_made_on_confirmation(safeguarding, settings):
    report = make_report(settings)
    url = page_of(report)
    assert 'id="triage-preview"' not in safeguarding.get(url).content.decode()  # read it first
    opened = safeguarding.post(url, {"action": "open", "passphrase": TEAM_PASSPHRASE})
    page = opened.content.decode()
    assert 'id="triage-preview"' in page and "Make a drugging report record" in page
    assert page.count('type="password"') == 1  # the preview's passphrase box only

    preview = safeguarding.post(url, PREVIEW)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Check the record before you make it" in html
    assert "@quietfox_test" in html and SECRET_WORDS in html  # the facts it would hold
    assert "Restricted to the safeguarding team: safeguarding1" in html
    assert "no-store" in preview["Cache-Control"]
    assert TEAM_PASSPHRASE not in html  # never put back into the page
    assert re.search(r'type="hidden" name="record_reference" value="R-1"', html)
    assert SECRET_WORDS not in str(dict(safeguarding.session))
    assert not m.Case.objects.exists()  # nothing stored by a preview

    made = safeguarding.post(url, MAKE)
    assert made.status_code == 302 and made["Location"] == reverse("case-detail", args=["R-1"])
    record = safeguarding.get(made["Location"]).content.decode()
    assert "Record R-1 is made from portal report" in record
    assert "Drugging report" in record and "The person reported" in record
    assert "Scene" not in record and "Toxicology" not in record  # not a death's sections
    assert m.Submission.objects.get(pk=report.submission.pk).case_reference == "R-1"
    again = safeguarding.get(url).content.decode()  # one report, one record
    assert 'href="/cases/R-1/"' in again and 'id="triage-preview"' not in again


def test_an_intelligence_entry_needs_what_it_records(safeguarding, settings):
    url = page_of(make_report(settings))
    asked = {**PREVIEW, "record_kind": "intelligence", "record_reference": "I-1"}
    refused = safeguarding.post(url, asked)
    assert refused.status_code == 400
    assert errors_beside(refused.content.decode()) == {
        "intelligence_type": "What the intelligence entry records: "
        "choose what the intelligence entry records"
    }
    made = safeguarding.post(url, {**asked, "intelligence_type": "prior_contact"})
    assert "Intelligence entry" in made.content.decode()
    confirmed = {**asked, "action": "make", "intelligence_type": "prior_contact"}
    assert safeguarding.post(url, confirmed).status_code == 302
    assert m.Case.objects.get(reference="I-1").kind == "intelligence"


def test_a_wrong_passphrase_is_named_beside_its_field_and_changes_nothing(safeguarding, settings):
    report = make_report(settings)
    url = page_of(report)
    wrong = {"make_passphrase": "guess" * 4}
    for posted in ({**PREVIEW, **wrong}, {**MAKE, **wrong}):
        response = safeguarding.post(url, posted)
        html = response.content.decode()
        assert response.status_code == 400
        assert html.count('type="password"') == 1  # the refused form's box, not the opening's
        assert errors_beside(html) == {
            "make_passphrase": "The team passphrase is not the team's: check it and try again"
        }
        assert "guess" not in html and SECRET_WORDS not in html
    assert not m.Case.objects.exists()
    assert m.Submission.objects.get(pk=report.submission.pk).case_reference == ""


def test_a_reference_taken_since_the_preview_is_said_above_the_form(safeguarding, settings):
    url = page_of(make_report(settings))
    first = make_report(settings)
    assert safeguarding.post(page_of(first), MAKE).status_code == 302  # takes R-1
    refused = safeguarding.post(url, MAKE)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Reference of the new record: &#x27;R-1&#x27; cannot be used for a new case" in html
    assert 'href="#triage-confirm"' in html


def test_a_family_concern_is_not_offered_and_other_roles_are_refused(client, db, settings):
    install_team_key(settings)
    make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    sign_in(client, "safeguarding1")
    concern = make_report(settings, kind="family_concern", answers={"concern": "x"})
    opened = client.post(page_of(concern), {"action": "open", "passphrase": TEAM_PASSPHRASE})
    assert opened.status_code == 200 and 'id="triage-preview"' not in opened.content.decode()
    report = make_report(settings)
    client.logout()
    make_user("investigator1", UserRole.INVESTIGATOR)
    sign_in(client, "investigator1")
    assert client.post(page_of(report), MAKE).status_code == 403
    assert not m.Case.objects.exists()


def test_nobody_outside_the_team_sees_the_record(safeguarding, settings, client):
    safeguarding.post(page_of(make_report(settings)), MAKE)
    safeguarding.logout()
    make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    sign_in(client, "sergeant1")
    assert client.get(reverse("case-detail", args=["R-1"])).status_code == 404
    assert "R-1" not in client.get(reverse("case-list")).content.decode()
