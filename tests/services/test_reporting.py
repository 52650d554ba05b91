"""vigil.services.readmodels.reporting: what a finished report needs, the preview that writes nothing, and
revising a report with the version read and without touching what is withheld."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, DeathReport
from vigil.records import models as m
from vigil.services.readmodels.reporting import (
    preview_report,
    report_problems,
    revise_report,
    still_to_record,
)


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ({}, ["reported_at", "found_at", "location.address", "location.place_type"]),
        (
            {"reported_at": T0, "found_at": T0, "location": {"place_type": "park"}},
            ["location.address"],
        ),
        (
            {
                "reported_at": T0,
                "found_at": T0,
                "location": {"place_type": "park", "latitude": 51.5, "longitude": 0.1},
            },
            [],
        ),
        (
            {"reported_at": T0, "found_at": T0, "location": {"address": "x", "place_type": "park"}},
            [],
        ),
    ],
)
def test_what_a_finished_report_still_needs(data, missing):
    assert list(still_to_record(DeathReport.model_validate(data))) == missing


def test_problems_of_a_draft_and_of_a_finished_report():
    now = datetime(2015, 6, 2, tzinfo=UTC)
    report = DeathReport.model_validate(
        {"found_at": now + timedelta(hours=1), "location": {"latitude": 51.5}}
    )
    draft = report_problems(report, complete=False, now=now)
    assert draft == {
        "location.longitude": "Enter both the latitude and the longitude, or neither",
        "found_at": "The time the body was found must be in the past",
    }
    finished = report_problems(report, complete=True, now=now)
    assert finished["reported_at"].endswith("or save the report as a draft")
    assert finished["found_at"] == draft["found_at"]  # the first reason stands


def test_previewing_a_new_report_writes_nothing(officer):
    audit_rows = AuditEntry.objects.count()
    evaluation = preview_report(officer, suspicious_report(), face="test")
    assert evaluation.floor is Category.UNEXPECTED_UNDER_INVESTIGATION
    assert {r.rule_id for r in evaluation.floor_reasons} >= {"moved_after_death", "phone_missing"}
    assert any(item.rule_id == "toxicology_with_ghb" for item in evaluation.unmet)
    assert not m.Case.objects.exists() and AuditEntry.objects.count() == audit_rows


def test_previewing_needs_the_right_to_record(analyst):
    with pytest.raises(services.Forbidden):
        preview_report(analyst, suspicious_report(), face="test")


def test_previewing_changes_to_a_case_lays_them_over_its_facts(officer):
    services.open_case(officer, "P-1", suspicious_report(), known_at=T0)
    facts = m.Fact.objects.count()
    unchanged = preview_report(officer, DeathReport(), face="test", reference="P-1")
    assert any(r.rule_id == "note_present" for r in unchanged.floor_reasons)
    changed = preview_report(
        officer,
        suspicious_report(scene__note_present=False),
        face="test",
        reference="P-1",
        paths=["scene.note_present"],
    )
    assert not any(r.rule_id == "note_present" for r in changed.floor_reasons)
    assert any(r.rule_id == "moved_after_death" for r in changed.floor_reasons)
    assert m.Fact.objects.count() == facts
    assert AuditEntry.objects.filter(event="case.viewed", target_ref="P-1").count() == 2


def test_revising_records_only_the_changed_paths(officer):
    state = services.open_case(officer, "P-2", suspicious_report(), known_at=T0)
    revised = suspicious_report(scene__wallet="missing")
    revision = revise_report(
        officer,
        "P-2",
        revised,
        ["scene.wallet", "scene.phone", "deceased.age"],
        expected_version=state.version,
    )
    assert revision.changed == ("scene.wallet",)
    assert revision.version == state.version + 1
    assert m.Fact.objects.filter(case__reference="P-2", path="scene.wallet").count() == 1


def test_revising_with_no_change_writes_nothing(officer):
    state = services.open_case(officer, "P-3", suspicious_report(), known_at=T0)
    audit_rows = AuditEntry.objects.count()
    revision = revise_report(
        officer, "P-3", suspicious_report(), ["scene.phone"], expected_version=state.version
    )
    assert revision.changed == () and revision.version == state.version
    assert AuditEntry.objects.count() == audit_rows


def test_a_stale_version_is_refused(officer, investigator):
    state = services.open_case(officer, "P-4", suspicious_report(), known_at=T0)
    services.record_facts(investigator, "P-4", suspicious_report(scene__wallet="missing"))
    facts = m.Fact.objects.count()
    with pytest.raises(services.StaleVersion):
        revise_report(
            officer,
            "P-4",
            suspicious_report(scene__note_present=False),
            ["scene.note_present"],
            expected_version=state.version,
        )
    assert m.Fact.objects.count() == facts


def test_a_withheld_field_is_refused_and_kept(officer, sergeant):
    state = services.open_case(
        sergeant, "P-5", suspicious_report(deceased__sexuality="gay"), known_at=T0
    )
    with pytest.raises(services.Invalid) as refused:
        revise_report(
            officer,
            "P-5",
            suspicious_report(deceased__sexuality="straight"),
            ["deceased.sexuality"],
            expected_version=state.version,
        )
    assert refused.value.field == "deceased.sexuality"
    assert services.view_case(sergeant, "P-5", face="test").view.report.deceased.sexuality == "gay"


def test_a_text_with_a_withheld_name_in_it_cannot_be_overwritten(officer, sergeant):
    report = suspicious_report(circumstances="Found by his flatmate; Alex Testperson had no ID.")
    state = services.open_case(sergeant, "P-6", report, known_at=T0)
    services.restrict_case(sergeant, "P-6")
    services.name_on_case(sergeant, "P-6", "officer1")
    shown = services.view_case(officer, "P-6", face="test").view.report
    assert "[withheld]" in (shown.circumstances or "")
    with pytest.raises(services.Invalid) as refused:
        revise_report(
            officer,
            "P-6",
            shown.model_copy(update={"circumstances": "Found by his flatmate."}),
            ["circumstances"],
            expected_version=m.Case.objects.get(reference="P-6").version,
        )
    assert refused.value.field == "circumstances"
    assert state.view.report.circumstances == report.circumstances


# --- the report's rules hold for every face (issue 10, item 13): the services refuse them


def later(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"found_at": later(hours=2)},
            "found_at",
            "The time the body was found must be in the past",
        ),
        ({"attendance": {"arrived_at": later(days=1)}}, "attendance.arrived_at", "in the past"),
        ({"toxicology": {"requested_at": later(days=3)}}, "toxicology.requested_at", "past"),
        (
            {"location": {"latitude": 51.5}},
            "location.longitude",
            "Enter both the latitude and the longitude, or neither",
        ),
        ({"location": {"longitude": 0.1}}, "location.latitude", "both the latitude"),
    ],
)
def test_opening_a_case_refuses_what_no_report_may_hold(officer, data, field, words):
    with pytest.raises(services.Invalid) as refused:
        services.open_case(officer, "R-1", DeathReport.model_validate(data))
    assert refused.value.field == field and words in refused.value.reason
    assert not m.Case.objects.exists() and not m.Fact.objects.exists()


def test_recording_facts_refuses_them_too_and_changes_nothing(officer):
    state = services.open_case(officer, "R-2", suspicious_report(), known_at=T0)
    facts = m.Fact.objects.count()
    for report, field in (
        (DeathReport(found_at=later(minutes=5)), "found_at"),
        (DeathReport.model_validate({"location": {"latitude": None}}), "location.latitude"),
    ):
        with pytest.raises(services.Invalid) as refused:
            services.record_facts(officer, "R-2", report, expected_version=state.version)
        assert refused.value.field == field
    assert m.Fact.objects.count() == facts
    assert m.Case.objects.get(reference="R-2").version == state.version


def test_one_coordinate_may_move_a_pair_and_an_old_fault_blocks_nothing_else(officer):
    services.open_case(officer, "R-3", suspicious_report(), known_at=T0)
    moved = DeathReport.model_validate({"location": {"latitude": 51.54}})
    state = services.record_facts(officer, "R-3", moved)
    assert (state.view.report.location.latitude, state.view.report.location.longitude) == (
        51.54,
        0.0811,
    )
    # A store written before the rule may hold half a pair: other facts can still be recorded.
    case = m.Case.objects.get(reference="R-3")
    m.Fact.objects.create(
        case=case,
        path="location.longitude",
        value=None,
        known_at=T0 + timedelta(days=1),
        recorded_at=T0 + timedelta(days=1),
        recorded_by="legacy",
    )
    state = services.record_facts(officer, "R-3", DeathReport(circumstances="Seen at 4am."))
    assert state.view.report.circumstances == "Seen at 4am."
