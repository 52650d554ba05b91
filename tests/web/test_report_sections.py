"""The report as an officer records it at a scene: a short first page of what the first officer
knows that opens a draft case, then the rest of the report one section at a time, each section
a form of its own group of fields posting only that group at the version read."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import T0, suspicious_report
from tests.signin import sign_in
from tests.web.test_report_form import _edit_form, errors_beside, rows
from vigil import services
from vigil.records import models as m
from vigil.web import report_fields

FIRST_PAGE = {
    "reference": "S-1",
    "reported_at": "2015-06-01T07:30",
    "found_at": "2015-06-01T07:10",
    "location.address": "St Testing's churchyard, London E6 2AB",
    "location.place_type": "churchyard",
    "deceased.sex": "male",
    "deceased.age": "23",
    "scene.phone": "missing",
    "scene.moved_after_death": "yes",
    "scene.note_present": "yes",
    "first_account.given_by_role": "caller",
    "first_account.account": "He took something himself.",
}


@pytest.fixture
def signed_in(client, officer):
    sign_in(client, "officer1")
    return client


def _inputs(html: str) -> set[str]:
    """The names of the inputs a person fills in (hidden inputs and buttons left out)."""
    names = set(
        re.findall(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]+name="([^"]+)"', html)
    )
    return names - {"action", "csrfmiddlewaretoken"}


def test_the_first_page_holds_what_the_first_officer_knows_at_a_scene(signed_in):
    html = signed_in.get(reverse("case-new")).content.decode()
    names = _inputs(html)
    assert names == {"reference"} | report_fields.FIRST_PAGE_PATHS
    assert len(names) <= 20  # not the 88 inputs of the whole report
    for path in ("scene.phone", "scene.moved_after_death", "scene.note_present"):
        assert path in names  # the Barking scene questions
    assert "toxicology.status" not in names and "devices-TOTAL_FORMS" not in html
    assert 'hx-post="/cases/new/preview/"' in html and 'id="report-preview"' in html
    assert "one section at a time" in html


def test_the_first_page_saves_a_draft_case(signed_in):
    response = signed_in.post(reverse("case-new"), {**FIRST_PAGE, "action": "draft"})
    assert response.status_code == 302, errors_beside(response)
    report = services.view_case(services.actor_for("officer1"), "S-1", face="test").view.report
    assert report.scene.phone == "missing" and report.scene.note_present is True
    assert report.first_account.account == "He took something himself."
    assert report.toxicology.status == "not_requested"  # the rest is still to record


def test_an_error_on_the_first_page_keeps_it_short(signed_in):
    response = signed_in.post(reverse("case-new"), {**FIRST_PAGE, "deceased.age": "230"})
    assert errors_beside(response)["deceased-age"] == "Age must be 130 or less"
    assert "toxicology.status" not in _inputs(response.content.decode())
    assert not m.Case.objects.filter(reference="S-1").exists()


def test_the_sections_page_lists_each_section_with_whether_it_is_started(signed_in, officer):
    services.open_case(officer, "S-2", suspicious_report(), known_at=T0)
    html = signed_in.get(reverse("case-sections", args=["S-2"])).content.decode()
    for key, section in report_fields.SECTIONS.items():
        assert f'href="{reverse("case-edit-section", args=["S-2", key])}"' in html, key
        assert section.title in html
    status = dict(re.findall(r'id="section-([\w-]+)-status">(.*?)</div>', html))
    assert status["scene"] == "Started" and "Not started" in status["cause"]
    # the whole-report edit page links to the sections too
    whole = signed_in.get(reverse("case-edit", args=["S-2"])).content.decode()
    assert reverse("case-edit-section", args=["S-2", "toxicology"]) in whole


def test_a_section_is_its_own_form_and_saves_only_its_fields(signed_in, officer, investigator):
    services.open_case(officer, "S-3", suspicious_report(), known_at=T0)
    url = reverse("case-edit-section", args=["S-3", "toxicology"])
    page = signed_in.get(url)
    html = page.content.decode()
    assert _inputs(html) == {f.path for f in report_fields.SECTIONS["toxicology"].group.fields}
    assert f'action="{url}"' in html and 'name="version"' in html and 'name="mark"' in html
    assert "Save this section" in html
    facts = m.Fact.objects.count()
    response = signed_in.post(
        url, _edit_form(page, toxicology__status="confirmed", toxicology__substances="ghb")
    )
    assert response.status_code == 302, errors_beside(response)
    assert response["Location"] == reverse("case-sections", args=["S-3"])
    new = m.Fact.objects.order_by("pk")[facts:]
    assert sorted(f.path for f in new) == ["toxicology.status", "toxicology.substances"]
    report = services.view_case(officer, "S-3", face="test").view.report
    assert report.scene.phone == "missing" and report.location.place_type == "churchyard"
    assert b"Toxicology: saved on case S-3." in signed_in.get(response["Location"]).content


def test_a_list_of_rows_is_a_section_of_its_own(signed_in, officer):
    services.open_case(officer, "S-4", suspicious_report(), known_at=T0)
    url = reverse("case-edit-section", args=["S-4", "devices"])
    page = signed_in.get(url)
    assert 'name="devices-TOTAL_FORMS"' in page.content.decode()
    data = {**_edit_form(page), **rows("devices", {"kind": "phone", "status": "sought"})}
    assert signed_in.post(url, data).status_code == 302
    report = services.view_case(officer, "S-4", face="test").view.report
    assert [d.kind for d in report.devices] == ["phone"]


def test_a_refused_section_changes_nothing_and_says_why_beside_the_field(signed_in, officer):
    services.open_case(officer, "S-5", suspicious_report(), known_at=T0)
    url = reverse("case-edit-section", args=["S-5", "where"])
    page = signed_in.get(url)
    facts = m.Fact.objects.count()
    response = signed_in.post(url, _edit_form(page, location__longitude=""))
    assert response.status_code == 200
    assert "Enter both the latitude and the" in errors_beside(response)["location-longitude"]
    assert m.Fact.objects.count() == facts


def test_an_unknown_section_is_not_found_and_a_role_that_cannot_record_is_refused(
    client, signed_in, officer, analyst
):
    services.open_case(officer, "S-6", suspicious_report(), known_at=T0)
    assert signed_in.get(reverse("case-edit-section", args=["S-6", "nothing"])).status_code == 404
    sign_in(client, "analyst1")
    assert client.get(reverse("case-edit-section", args=["S-6", "scene"])).status_code == 403
    assert client.get(reverse("case-sections", args=["S-6"])).status_code == 403
