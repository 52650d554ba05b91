from datetime import timedelta

import pytest

from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, PersonEntry
from vigil.records import models as m


def test_opening_a_case_records_each_fact_with_who_and_when(officer):
    state = services.open_case(officer, "T-1", suspicious_report(), known_at=T0)
    assert state.version == 2  # created, then finished
    facts = m.Fact.objects.filter(case__reference="T-1")
    assert facts.filter(path="scene.phone", value="missing", recorded_by="officer1").exists()
    assert all(f.known_at == T0 for f in facts)
    assert AuditEntry.objects.filter(event="case.opened", target_ref="T-1").count() == 1


def test_past_state_can_be_reconstructed(officer):
    services.open_case(officer, "T-2", suspicious_report(), known_at=T0)
    later = T0 + timedelta(days=30)
    update = DeathReport.model_validate(
        {"toxicology": {"status": "confirmed", "substances": ["ghb"]}}
    )
    services.record_facts(officer, "T-2", update, known_at=later)
    then = services.view_case(officer, "T-2", face="test", as_of=T0 + timedelta(days=1))
    now = services.view_case(officer, "T-2", face="test")
    assert then.view.report.toxicology.status == "pending"
    assert then.view.report.toxicology.substances == ()
    assert now.view.report.toxicology.substances == ("ghb",)
    # facts left out of an update are unchanged
    assert now.view.report.scene.phone == "missing"


def test_recording_the_same_facts_again_changes_nothing(officer):
    services.open_case(officer, "T-3", suspicious_report(), known_at=T0)
    before = (m.Fact.objects.count(), AuditEntry.objects.count(), m.Case.objects.get().version)
    services.record_facts(officer, "T-3", suspicious_report(), known_at=T0 + timedelta(hours=1))
    after = (m.Fact.objects.count(), AuditEntry.objects.count(), m.Case.objects.get().version)
    assert after == before


def test_a_stale_version_is_refused_and_changes_nothing(officer, investigator):
    state = services.open_case(officer, "T-4", suspicious_report(), known_at=T0)
    services.record_facts(
        investigator, "T-4", DeathReport(circumstances="first edit"), expected_version=state.version
    )
    facts = m.Fact.objects.count()
    with pytest.raises(services.StaleVersion, match="has changed since you read it"):
        services.record_facts(
            officer, "T-4", DeathReport(circumstances="second edit"), expected_version=state.version
        )
    assert m.Fact.objects.count() == facts
    assert m.Case.objects.get().state["circumstances"] == "first edit"


@pytest.mark.parametrize(
    ("reference", "says"), [("", "letters, digits"), ("bad ref!", "letters, digits")]
)
def test_bad_references_are_refused(officer, reference, says):
    with pytest.raises(services.Invalid, match=says) as info:
        services.open_case(officer, reference, DeathReport())
    assert info.value.field == "reference"
    assert not m.Case.objects.exists()


def test_a_duplicate_reference_is_refused(officer):
    services.open_case(officer, "T-5", DeathReport())
    with pytest.raises(services.Invalid, match="cannot be used for a new case"):
        services.open_case(officer, "T-5", DeathReport())


def test_the_same_phone_on_two_cases_is_recognisable(officer):
    services.open_case(officer, "T-6", DeathReport())
    services.open_case(officer, "T-7", DeathReport())
    services.record_person(
        officer,
        "T-6",
        PersonEntry(
            ref="P-1",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    services.record_person(
        officer,
        "T-7",
        PersonEntry(
            ref="P-2",
            name="Friend Two",
            roles=["friend"],
            identifiers=[{"kind": "phone", "value": "+44 7700 900461"}],
        ),
    )
    shared = m.Identifier.objects.filter(kind="phone", normalised="+447700900461")
    assert sorted(shared.values_list("case__reference", flat=True)) == ["T-6", "T-7"]


def test_one_person_on_many_cases_keeps_one_identity(officer):
    for ref in ("T-8", "T-9"):
        services.open_case(officer, ref, DeathReport())
        services.record_person(
            officer, ref, PersonEntry(ref="P-9", name="Host Nine", roles=["host"])
        )
    # The ref given names them on both cases; Vigil's own ref for them is allocated.
    links = m.CasePerson.objects.filter(external_ref="P-9")
    assert links.count() == 2 and len({link.person_id for link in links}) == 1
    assert links[0].person.ref != "P-9"


def test_viewing_a_case_writes_a_consultation_row(officer):
    services.open_case(officer, "T-10", DeathReport())
    services.view_case(officer, "T-10", face="test")
    row = AuditEntry.objects.filter(event="case.viewed").get()
    assert (row.verb, row.actor, row.target_ref) == ("consultation", "officer1", "T-10")


def test_listing_cases_writes_a_consultation_row(officer):
    services.open_case(officer, "T-11", DeathReport())
    total, rows = services.list_cases(officer, face="test")
    assert total == 1 and rows[0].reference == "T-11"
    assert AuditEntry.objects.filter(event="cases.listed", verb="consultation").count() == 1
