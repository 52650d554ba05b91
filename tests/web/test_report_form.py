"""The death report form: saved finished or as a draft, errors beside the field with nothing
saved, the live preview of the floor and checklist that saves nothing, and editing a report
with its version (a stale version changes nothing; fields withheld from the author stay as
they are)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.domain.report import DeathReport
from vigil.records import models as m


def rows(name: str, *items: dict[str, str]) -> dict[str, str]:
    """A list of rows as a Django formset posts it: its management form, then each row's
    fields ("devices-0-kind")."""
    data = {f"{name}-TOTAL_FORMS": str(len(items)), f"{name}-INITIAL_FORMS": "0"}
    for index, item in enumerate(items):
        data |= {f"{name}-{index}-{key}": value for key, value in item.items()}
    return data


SUSPICIOUS = {
    "reference": "F-1",
    "reported_at": "2015-06-01T07:30",
    "found_at": "2015-06-01T07:10",
    "location.address": "St Testing's churchyard, London E6 2AB",
    "location.place_type": "churchyard",
    "location.latitude": "51.5386",
    "location.longitude": "0.0811",
    "deceased.identified": "",
    "deceased.sex": "male",
    "deceased.age": "23",
    "deceased.known_illness": "no",
    "scene.phone": "missing",
    "scene.moved_after_death": "yes",
    "toxicology.status": "pending",
    "toxicology.substances": "GHB",
    **rows("devices", {"kind": "", "status": "not_sought"}),
    **rows("cctv", {"location": "", "status": "sought"}),
}


def form(**changes: Any) -> dict[str, str]:
    data = {**SUSPICIOUS, "action": "save"}
    for key, value in changes.items():
        path = re.sub(r"^(devices|cctv)__(\d+)__", r"\1-\2-", key).replace("__", ".")
        if value is None:
            data.pop(path, None)
        else:
            data[path] = value
    return data


def errors_beside(response) -> dict[str, str]:
    """Each error message on the page by the id of its field."""
    html = response.content.decode()
    found = re.findall(
        r'<p id="([\w-]+)-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        html,
    )
    return {field: message.replace("&#x27;", "'") for field, message in found}


def summary_links(response) -> list[str]:
    return re.findall(r'<li><a href="#([\w-]+)">', response.content.decode())


@pytest.fixture
def signed_in(client, officer):
    sign_in(client, "officer1")
    return client


def test_the_form_is_a_single_column_of_fieldsets_with_a_live_preview(signed_in):
    # the first page: what the first officer knows at a scene (tests/web/test_report_sections.py)
    html = signed_in.get(reverse("case-new")).content.decode()
    assert html.count('<fieldset class="govuk-fieldset govuk-!-margin-bottom-6"') >= 5
    assert f'hx-post="{reverse("case-preview")}"' in html
    assert 'hx-trigger="change delay:300ms"' in html and 'hx-target="#report-preview"' in html
    assert 'name="action" value="save"' in html and 'name="action" value="draft"' in html
    assert 'type="datetime-local"' in html and 'inputmode="decimal"' in html
    # the order an officer meets them: reference, when, where, the deceased, the scene, ...
    order = [html.index(f'id="{i}"') for i in ("reference", "reported_at", "location-address")]
    order += [html.index(f'id="{i}"') for i in ("deceased-name", "scene-phone")]
    order += [html.index(f'id="{i}"') for i in ("first_account-account",)]
    assert order == sorted(order)


def test_saving_a_suspicious_death_opens_the_case(signed_in):
    response = signed_in.post(reverse("case-new"), form())
    assert response.status_code == 302
    assert response["Location"] == reverse("case-detail", args=["F-1"])
    state = services.view_case(services.actor_for("officer1"), "F-1", face="test")
    report = state.view.report
    assert report.scene.phone == "missing" and report.scene.moved_after_death is True
    assert report.toxicology.substances == ("ghb",)
    assert report.deceased.known_illness is False and report.location.latitude == 51.5386
    assert report.found_at.isoformat() == "2015-06-01T06:10:00+00:00"  # 07:10 in London
    assert state.evaluation.floor == "unexpected_under_investigation"
    assert AuditEntry.objects.filter(event="case.opened", target_ref="F-1").count() == 1
    page = signed_in.get(response["Location"])
    assert b"Case F-1 opened." in page.content


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deceased__age": "230"}, "deceased-age", "Age must be 130 or less"),
        ({"deceased__age": "twenty"}, "deceased-age", "Age: enter a whole number, for example 23"),
        ({"location__latitude": "95"}, "location-latitude", "Latitude must be 90 or less"),
        ({"location__longitude": ""}, "location-longitude", "Enter both the latitude and the"),
        ({"found_at": "2015-13-01T07:10"}, "found_at", "When the body was found: enter a real"),
        ({"found_at": "2999-06-01T07:10"}, "found_at", "The time the body was found must be in"),
        ({"scene__phone": "lost"}, "scene-phone", "select one of the options"),
        ({"devices__0__description": "a blue phone"}, "devices-0-kind", "Kind of device"),
        ({"reference": "bad reference!"}, "reference", "Case reference: use 1 to 64"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    signed_in, changes, field, message
):
    for action in ("save", "draft"):
        response = signed_in.post(reverse("case-new"), form(action=action, **changes))
        assert response.status_code == 200
        assert message in errors_beside(response).get(field, ""), errors_beside(response)
        assert field in summary_links(response)
        assert not m.Case.objects.exists()
        assert b"<title>Error: New death report" in response.content


def test_every_input_has_a_label_and_each_list_a_formset(signed_in, officer):
    # the whole report, as the edit form shows it (a new report starts with a short first page)
    services.open_case(officer, "F-9", DeathReport(reported_at=T0), known_at=T0)
    html = signed_in.get(reverse("case-edit", args=["F-9"])).content.decode()
    controls = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([\w.-]+)"', html)
    labelled = set(re.findall(r'<label [^>]*for="([\w.-]+)"', html))
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([\w.-]+)"', html))
    assert len(controls) > 80 and set(controls) - hidden <= labelled
    for name in ("devices", "cctv"):  # the management form of each list, two blank rows
        assert f'name="{name}-TOTAL_FORMS" value="2"' in html
        assert f'id="{name}-1-status"' in html and f'id="{name}-2-status"' not in html
    # yes / no / not known as GOV.UK radios: the first option has the field's id
    assert re.search(
        r'id="scene-moved_after_death" name="scene.moved_after_death" '
        r'type="radio" value="yes"',
        html,
    )
    assert (
        'id="scene-moved_after_death-3" name="scene.moved_after_death" type="radio" '
        'value="unknown" checked' in html
    )


def test_rows_are_read_as_typed_and_an_error_is_beside_the_row_shown(signed_in):
    devices = rows(
        "devices",
        {"kind": "", "status": "not_sought"},  # blank: left out
        {"kind": "", "description": "a blue phone", "status": "seized"},
        {"kind": "Laptop", "owner": "deceased", "status": "seized"},
    )
    refused = signed_in.post(reverse("case-new"), {**form(), **devices})
    # the model's error is about its first device; on the form that is the second row
    assert errors_beside(refused) == {
        "devices-1-kind": "Device 2: Kind of device: enter it or leave the row empty"
    }
    assert summary_links(refused) == ["devices-1-kind"]
    assert 'value="a blue phone"' in refused.content.decode()
    assert not m.Case.objects.exists()
    devices["devices-1-kind"] = "Phone"
    saved = signed_in.post(reverse("case-new"), {**form(), **devices, "deceased.identified": "yes"})
    assert saved.status_code == 302, errors_beside(saved)
    report = services.view_case(services.actor_for("officer1"), "F-1", face="test").view.report
    assert [(d.kind, d.owner, d.status) for d in report.devices] == [
        ("Phone", None, "seized"),
        ("Laptop", "deceased", "seized"),
    ]
    assert report.deceased.identified is True  # the box ticked after its hidden empty input


def test_save_needs_a_finished_report_and_a_draft_does_not(signed_in):
    incomplete = form(found_at="", location__place_type="", reference="F-2")
    refused = signed_in.post(reverse("case-new"), incomplete)
    errors = errors_beside(refused)
    assert errors["found_at"].startswith("Enter when the body was found, or save the report")
    assert errors["location-place_type"].startswith("Select the type of place")
    assert not m.Case.objects.exists()
    # nothing typed is lost: the form comes back with it
    html = refused.content.decode()
    assert 'value="F-2"' in html and 'value="St Testing&#x27;s churchyard, London E6 2AB"' in html
    assert re.search(r'value="missing" checked', html)

    saved = signed_in.post(reverse("case-new"), {**incomplete, "action": "draft"})
    assert saved.status_code == 302
    page = signed_in.get(saved["Location"])
    assert b"Draft saved on case F-2. Still to record: when the body was found" in page.content
    assert b"This report is a draft" in page.content


def test_a_taken_reference_is_refused_beside_it(signed_in, officer):
    services.open_case(officer, "F-1", suspicious_report(), known_at=T0)
    response = signed_in.post(reverse("case-new"), form())
    assert "cannot be used for a new case" in errors_beside(response)["reference"]
    assert m.Case.objects.count() == 1


def test_the_form_needs_a_role_that_records_cases(client, analyst):
    sign_in(client, "analyst1")
    assert client.get(reverse("case-new")).status_code == 403
    assert client.post(reverse("case-new"), form()).status_code == 403
    assert client.post(reverse("case-preview"), form()).status_code == 403
    assert not m.Case.objects.exists()


def test_the_preview_shows_the_floor_and_unmet_items_and_saves_nothing(signed_in):
    audit_rows = AuditEntry.objects.count()
    response = signed_in.post(reverse("case-preview"), form())
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "<html" not in html  # a fragment for htmx to swap in
    assert re.search(r'id="preview-floor">Unexpected, under investigation<', html)
    assert "The deceased's phone is missing." in html
    assert "A sedative used to drug people" in html
    assert "Toxicology requested, including GHB" in html
    assert not m.Case.objects.exists() and not m.Fact.objects.exists()
    assert AuditEntry.objects.count() == audit_rows


def test_the_preview_of_an_expected_death_raises_no_floor(signed_in):
    expected = {
        "reported_at": "2015-06-01T07:30",
        "location.place_type": "home",
        "deceased.age": "91",
        "deceased.known_illness": "yes",
    }
    html = signed_in.post(reverse("case-preview"), expected).content.decode()
    assert 'id="preview-floor">Expected<' in html
    assert "No fact entered raises the floor." in html


def test_the_preview_leaves_out_what_it_cannot_read(signed_in):
    html = signed_in.post(reverse("case-preview"), form(deceased__age="old")).content.decode()
    assert "The deceased&#x27;s phone is missing." in html


# --- editing a report


def _version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def _edit_form(response, **changes: str) -> dict[str, str]:
    """What the browser would post back: every input of the edit form, then ``changes``."""
    html = response.content.decode()
    data: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]+>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="(\w+)"', tag)
        if kind and kind.group(1) in {"radio", "checkbox"} and " checked" not in tag:
            continue
        data[name.group(1)] = value.group(1).replace("&#x27;", "'") if value else ""
    for name, text in re.findall(r'<textarea[^>]+name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = text.replace("&#x27;", "'")
    for name, body in re.findall(r'<select[^>]+name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    data.update(
        {
            re.sub(r"^devices__(\d+)__", r"devices-\1-", k).replace("__", "."): v
            for k, v in changes.items()
        }
    )
    data["action"] = "save"
    return data


def test_editing_records_only_what_changed_with_the_version(signed_in, officer):
    services.open_case(officer, "F-3", suspicious_report(), known_at=T0)
    page = signed_in.get(reverse("case-edit", args=["F-3"]))
    assert page.status_code == 200 and 'value="F-3"' in page.content.decode()
    facts = m.Fact.objects.filter(case__reference="F-3").count()
    response = signed_in.post(
        reverse("case-edit", args=["F-3"]),
        _edit_form(page, toxicology__status="confirmed", devices__0__kind="phone"),
    )
    assert response.status_code == 302, errors_beside(response)
    new = m.Fact.objects.filter(case__reference="F-3").order_by("pk")[facts:]
    assert sorted(f.path for f in new) == ["devices", "toxicology.status"]
    assert new[0].recorded_by == "officer1"
    entry = AuditEntry.objects.filter(event="case.facts_recorded", target_ref="F-3").get()
    assert entry.actor == "officer1"


def test_saving_an_unchanged_report_records_nothing(signed_in, officer):
    services.open_case(officer, "F-4", suspicious_report(), known_at=T0)
    page = signed_in.get(reverse("case-edit", args=["F-4"]))
    facts = m.Fact.objects.count()
    response = signed_in.post(reverse("case-edit", args=["F-4"]), _edit_form(page))
    assert response.status_code == 302
    assert m.Fact.objects.count() == facts
    assert b"Nothing had changed" in signed_in.get(response["Location"]).content


def test_a_stale_version_is_refused_and_changes_nothing(signed_in, officer, investigator):
    services.open_case(officer, "F-5", suspicious_report(), known_at=T0)
    page = signed_in.get(reverse("case-edit", args=["F-5"]))
    # someone else records a fact after the page was read
    services.record_facts(
        investigator, "F-5", suspicious_report(scene__wallet="missing"), known_at=T0
    )
    facts = m.Fact.objects.count()
    response = signed_in.post(
        reverse("case-edit", args=["F-5"]), _edit_form(page, scene__note_present="no")
    )
    assert response.status_code == 200
    assert "Someone else saved this case first" in response.content.decode()
    assert m.Fact.objects.count() == facts
    # the form now holds the current version, to apply the changes on top of it once seen
    # (tests/web/test_conflicts.py)
    assert _version(response) == str(m.Case.objects.get(reference="F-5").version)
    assert 'value="no" checked' in response.content.decode()  # what was typed is kept


def test_fields_withheld_from_the_author_cannot_be_changed(signed_in, officer, sergeant):
    report = suspicious_report(deceased__sexuality="gay")
    services.open_case(sergeant, "F-6", report, known_at=T0)
    page = signed_in.get(reverse("case-edit", args=["F-6"]))
    html = page.content.decode()
    assert 'name="deceased.sexuality"' not in html and "Withheld" in html
    facts = m.Fact.objects.count()
    response = signed_in.post(
        reverse("case-edit", args=["F-6"]), _edit_form(page, deceased__sexuality="straight")
    )
    assert "withheld from you" in errors_beside(response)["deceased-sexuality"]
    assert m.Fact.objects.count() == facts
    state = services.view_case(sergeant, "F-6", face="test")
    assert state.view.report.deceased.sexuality == "gay"


def test_the_edit_preview_lays_the_form_over_the_case_and_is_audited(signed_in, officer):
    services.open_case(officer, "F-7", suspicious_report(), known_at=T0)
    page = signed_in.get(reverse("case-edit", args=["F-7"]))
    data = _edit_form(page, scene__note_present="no")
    html = signed_in.post(reverse("case-preview"), data).content.decode()
    assert "A note was found" not in html
    assert "The body was moved after death." in html  # the case's own facts still count
    previews = AuditEntry.objects.filter(event="case.viewed", target_ref="F-7")
    assert any('"preview":true' in row.payload for row in previews)
    assert m.Fact.objects.filter(case__reference="F-7", path="scene.note_present").count() == 1


def test_a_restricted_case_cannot_be_edited_by_a_user_not_named(client, officer, sergeant):
    services.open_case(sergeant, "F-8", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "F-8")
    make_user("officer2", UserRole.RESPONSE_OFFICER)
    sign_in(client, "officer2")
    assert client.get(reverse("case-edit", args=["F-8"])).status_code == 404
    preview = client.post(reverse("case-preview"), form(editing="F-8"))
    assert preview.status_code == 404
