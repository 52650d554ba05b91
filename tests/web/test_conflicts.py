"""When someone else saved a case first: the service lists what changed since the form was read
(field by field, who and when, masked for the reader) and records only what the author changed;
the edit form shows the changes, keeps what was typed and applies it on top of the case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import T0, suspicious_report
from tests.signin import sign_in
from tests.web.test_report_form import _edit_form, errors_beside
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain.masking import WITHHELD
from vigil.domain.report import DeathReport
from vigil.records import models as m
from vigil.services.casework import conflicts


def _partial(**values: object) -> DeathReport:
    """A report holding only ``values`` ("scene__wallet"), as another user records them."""
    data: dict[str, Any] = {}
    for key, value in values.items():
        *parents, leaf = key.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return DeathReport.model_validate(data)


def _mark(reference: str) -> int:
    return conflicts.fact_mark(m.Case.objects.get(reference=reference))


# --- the service


def test_changes_since_lists_each_field_another_changed_with_who_and_when(officer, investigator):
    services.open_case(officer, "C-1", suspicious_report(), known_at=T0)
    mark = _mark("C-1")
    services.record_facts(investigator, "C-1", _partial(scene__wallet="missing"))
    services.record_facts(investigator, "C-1", _partial(deceased__age=24))
    changes = conflicts.changes_since(officer, "C-1", mark, face="test")
    assert [c.path for c in changes.changes] == ["scene.wallet", "deceased.age"]
    wallet, age = changes.changes
    assert (wallet.before, wallet.value, wallet.recorded_by) == (
        "unknown",
        "missing",
        "investigator1",
    )
    assert (age.before, age.value) == (23, 24) and age.known_at > T0
    assert changes.version == m.Case.objects.get(reference="C-1").version
    assert changes.mark == _mark("C-1") > mark
    # nothing changed since the latest mark
    assert conflicts.changes_since(officer, "C-1", changes.mark, face="test").changes == ()
    viewed = AuditEntry.objects.filter(event="case.viewed", target_ref="C-1")
    assert any('"conflict":true' in row.payload for row in viewed)


def test_a_value_set_back_to_what_was_read_is_not_a_change(officer, investigator):
    services.open_case(officer, "C-2", suspicious_report(), known_at=T0)
    mark = _mark("C-2")
    services.record_facts(investigator, "C-2", _partial(deceased__age=24))
    services.record_facts(investigator, "C-2", _partial(deceased__age=23))
    assert conflicts.changes_since(officer, "C-2", mark, face="test").changes == ()


def test_a_field_withheld_from_the_reader_is_not_shown_to_them(officer, sergeant):
    services.open_case(sergeant, "C-3", suspicious_report(), known_at=T0)
    mark = _mark("C-3")
    changed = suspicious_report(deceased__sexuality="gay", deceased__occupation="Chef")
    services.record_facts(sergeant, "C-3", changed)
    changes = conflicts.changes_since(officer, "C-3", mark, face="test").changes
    assert [c.path for c in changes] == ["deceased.occupation"]  # withheld before and after
    assert "gay" not in repr(changes)
    assert WITHHELD != changes[0].value == "Chef"
    seen = conflicts.changes_since(sergeant, "C-3", mark, face="test").changes
    assert {c.path for c in seen} == {"deceased.occupation", "deceased.sexuality"}


def test_revise_since_records_only_what_the_author_changed(officer, investigator):
    services.open_case(officer, "C-4", suspicious_report(), known_at=T0)
    version, mark = m.Case.objects.get(reference="C-4").version, _mark("C-4")
    services.record_facts(investigator, "C-4", _partial(scene__wallet="missing"))
    # the officer's form still holds the wallet as read ("unknown") and a new note answer
    mine = suspicious_report(scene__note_present=False)
    paths = ("scene.wallet", "scene.note_present", "deceased.age")
    with pytest.raises(services.StaleVersion):
        conflicts.revise_since(officer, "C-4", mine, paths, mark=mark, expected_version=version)
    current = m.Case.objects.get(reference="C-4").version
    revision = conflicts.revise_since(
        officer, "C-4", mine, paths, mark=mark, expected_version=current
    )
    assert revision.changed == ("scene.note_present",)
    report = services.view_case(officer, "C-4", face="test").view.report
    assert report.scene.wallet == "missing" and report.scene.note_present is False


# --- the edit form


@pytest.fixture
def signed_in(client, officer):
    sign_in(client, "officer1")
    return client


def _version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def test_the_form_shows_what_changed_keeps_the_input_and_applies_on_top(
    signed_in, officer, investigator
):
    services.open_case(officer, "C-5", suspicious_report(), known_at=T0)
    url = reverse("case-edit", args=["C-5"])
    page = signed_in.get(url)
    assert 'name="mark" value="' in page.content.decode()
    services.record_facts(investigator, "C-5", _partial(scene__wallet="missing"))
    facts = m.Fact.objects.count()

    typed = _edit_form(page, scene__note_present="no", circumstances="Seen with two men.")
    response = signed_in.post(url, typed)
    html = response.content.decode()
    assert response.status_code == 200 and m.Fact.objects.count() == facts  # nothing saved
    assert "Someone else saved this case first" in html
    row = re.search(r"Scene: wallet.*?</tr>", html, re.S).group(0)
    assert "Not known" in row and "Missing" in row and "investigator1" in row
    assert "Scene: was a note found" not in html  # only what they changed is listed
    assert 'value="no" checked' in html and "Seen with two men." in html  # input kept
    assert 'value="apply"' in html and "Apply my changes to the current version" in html
    current = m.Case.objects.get(reference="C-5").version
    assert _version(response) == str(current) != _version(page)

    applied = signed_in.post(url, {**_edit_form(response), "action": "apply"})
    assert applied.status_code == 302, errors_beside(applied)
    new = m.Fact.objects.order_by("pk")[facts:]
    assert sorted(f.path for f in new) == ["circumstances", "scene.note_present"]
    assert {f.recorded_by for f in new} == {"officer1"}
    report = services.view_case(officer, "C-5", face="test").view.report
    assert report.scene.wallet == "missing" and report.scene.note_present is False
    assert report.circumstances == "Seen with two men."


def test_a_field_both_changed_is_marked_and_someone_saving_again_shows_it_again(
    signed_in, officer, investigator
):
    services.open_case(officer, "C-6", suspicious_report(), known_at=T0)
    url = reverse("case-edit", args=["C-6"])
    page = signed_in.get(url)
    services.record_facts(investigator, "C-6", _partial(deceased__age=25))
    response = signed_in.post(url, _edit_form(page, deceased__age="24"))
    assert (
        "You changed it too"
        in re.search(r"Deceased: age.*?</tr>", response.content.decode(), re.S)[0]
    )
    # a third person saves before the officer applies: the form shows both changes again
    services.record_facts(investigator, "C-6", _partial(scene__wallet="missing"))
    again = signed_in.post(url, {**_edit_form(response), "action": "apply"})
    html = again.content.decode()
    assert again.status_code == 200 and "Someone else saved this case first" in html
    assert "Deceased: age" in html and "Scene: wallet" in html
    applied = signed_in.post(url, {**_edit_form(again), "action": "apply"})
    assert applied.status_code == 302
    report = services.view_case(officer, "C-6", face="test").view.report
    assert report.deceased.age == 24 and report.scene.wallet == "missing"


def test_a_section_saved_after_someone_else_shows_the_changes(signed_in, officer, investigator):
    services.open_case(officer, "C-7", suspicious_report(), known_at=T0)
    url = reverse("case-edit-section", args=["C-7", "toxicology"])
    page = signed_in.get(url)
    services.record_facts(investigator, "C-7", _partial(cause__status="confirmed"))
    response = signed_in.post(url, _edit_form(page, toxicology__status="confirmed"))
    html = response.content.decode()
    assert "Someone else saved this case first" in html and "Cause of death" in html
    assert 'value="confirmed" checked' in html
    applied = signed_in.post(url, {**_edit_form(response), "action": "apply"})
    assert applied.status_code == 302
    report = services.view_case(officer, "C-7", face="test").view.report
    assert report.toxicology.status == "confirmed" and report.cause.status == "confirmed"
