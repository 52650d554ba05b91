"""Records other than deaths on the officers' pages (issue 13, item 1): "Record a death" stays
the default new report; "Record a drugging report" and "Record intelligence" open the same form
with their own field lists; the case page names the kind and shows no category or checklist;
the case list and search show the kind and filter by it. Synthetic people only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import suspicious_report
from tests.services.test_kinds import drugging
from tests.signin import sign_in
from vigil import services
from vigil.records import models as m

NEW_DRUGGING = reverse("case-new") + "?kind=drugging"


@pytest.fixture
def signed_in(client, officer):
    sign_in(client, "officer1")
    return client


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([\w-]+)"', html))


def test_a_death_stays_the_default_and_the_other_kinds_are_offered(signed_in):
    death = signed_in.get(reverse("case-new")).content.decode()
    assert "New death report" in death and "scene-phone" in _ids(death)
    assert f'href="{NEW_DRUGGING}"' in death and "Record a drugging report" in death
    assert "Record intelligence" in death
    page = signed_in.get(NEW_DRUGGING).content.decode()
    ids = _ids(page)
    assert "New drugging report" in page and "Record a death" in page
    assert {"drugging-handle", "drugging-phone", "drugging-name_used", "deceased-name"} <= ids
    assert "scene-phone" not in ids and "toxicology-status" not in ids
    assert "hx-post" not in page  # no category or checklist to preview
    assert "The person harmed" in page and "When it happened" in page


def test_recording_a_drugging_report_opens_a_record_of_that_kind(signed_in):
    data = {
        "reference": "R-9",
        "reported_at": "2015-07-11T10:00",
        "found_at": "2015-07-10T23:00",
        "deceased.name": "Jo Testsurvivor",
        "drugging.reporter": "survivor",
        "drugging.handle": "@dan_e6",
        "drugging.phone": "07700 900777",
        "drugging.substances_suspected": "GHB",
        "drugging.wants_contact": "yes",
        "action": "save",
    }
    response = signed_in.post(NEW_DRUGGING, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = m.Case.objects.get(reference="R-9")
    assert case.kind == "drugging" and case.category == ""
    report = services.view_case(services.actor_for("officer1"), "R-9", face="test").view.report
    assert report.drugging.substances_suspected == ("ghb",) and report.drugging.wants_contact
    page = signed_in.get(reverse("case-detail", args=["R-9"])).content.decode()
    assert "Drugging report" in page and 'id="case-kind"' in page
    assert 'id="category"' not in page and 'id="checklist"' not in page
    assert "Their handle or user name" in page and "@dan_e6" in page
    assert "The person reported" in page and "Person harmed" in page
    edit = signed_in.get(reverse("case-edit", args=["R-9"])).content.decode()
    assert "drugging-handle" in _ids(edit) and "scene-phone" not in _ids(edit)
    section = reverse("case-edit-section", args=["R-9", "reported"])
    assert signed_in.get(section).status_code == 200
    assert signed_in.get(reverse("case-edit-section", args=["R-9", "scene"])).status_code == 404
    assert signed_in.get(reverse("review-case", args=["R-9"])).status_code in (403, 404)


def test_a_form_for_one_kind_cannot_record_another_kinds_fields(signed_in):
    data = {"reference": "R-8", "drugging.handle": "@dan_e6", "action": "draft"}
    signed_in.post(reverse("case-new"), data)  # the death form has no such field
    assert not m.Fact.objects.filter(case__reference="R-8", path__startswith="drugging").exists()


def test_the_case_list_and_search_show_the_kind_and_filter_by_it(signed_in, officer):
    services.open_case(officer, "D-1", suspicious_report())
    services.open_case(officer, "R-1", drugging())
    listed = signed_in.get(reverse("case-list")).content.decode()
    assert "Drugging report" in listed and 'name="kind"' in listed
    only = signed_in.get(reverse("case-list") + "?kind=drugging").content.decode()
    assert ">R-1<" in only and ">D-1<" not in only
    found = signed_in.get(reverse("search") + "?q=Testsurvivor").content.decode()
    assert ">R-1<" in found and "Drugging report" in found
    deaths = signed_in.get(reverse("search") + "?q=Testsurvivor&kind=death").content.decode()
    assert ">R-1<" not in deaths
