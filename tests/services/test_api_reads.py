"""The reads added for the API (``workbench``, ``comparison``) and the restriction changes at a
version (``versioned``): need-to-know, masking, permissions, audit, stale versions."""

from __future__ import annotations

import pytest

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import LiaisonEntry, PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.casework import versioned
from vigil.services.linkage import comparison
from vigil.services.linkage.series import Verdict, judge
from vigil.services.readmodels import workbench


@pytest.fixture
def concern_case(officer):
    services.open_case(officer, "C-1", suspicious_report(), known_at=T0)
    services.record_person(
        officer, "C-1", PersonEntry(ref="P-N", name="Jo Parent", roles=["next_of_kin"])
    )
    services.log_liaison(
        officer,
        "C-1",
        LiaisonEntry.model_validate(
            {
                "person_ref": "P-N",
                "at": T0.isoformat(),
                "method": "phone",
                "officer": "PC 1",
                "summary": "Told.",
                "concerns": [{"text": "Alex never used drugs alone."}],
            }
        ),
    )
    return "C-1"


def test_case_concerns_carry_ids_are_redacted_and_audited(concern_case, officer):
    panel = make_user("panel-c", UserRole.PANEL_MEMBER)
    rows = workbench.case_concerns(officer, "C-1", face="test")
    assert [(r.person_ref, r.text, r.answer) for r in rows] == [
        ("P-N", "Alex never used drugs alone.", "")
    ]
    assert m.Concern.objects.get().pk == rows[0].id
    assert workbench.case_concerns(panel, "C-1", face="test")[0].text == (
        "[withheld] never used drugs alone."
    )
    viewed = AuditEntry.objects.filter(event="case.viewed", target_ref="C-1")
    assert {e.actor for e in viewed} == {"officer1", "panel-c"}


def test_case_concerns_and_access_of_a_restricted_case_are_not_found(concern_case, sergeant):
    outsider = make_user("inv-c", UserRole.INVESTIGATOR)
    services.restrict_case(sergeant, "C-1")
    for read in (workbench.case_concerns, workbench.case_access):
        with pytest.raises(services.NotFound) as info:
            read(outsider, "C-1", face="test")
        assert info.value.reason == "there is no case 'C-1'"
    assert workbench.case_access(sergeant, "C-1", face="test") == (True, ["sergeant1"])


def test_overdue_is_audited_and_leaves_out_hidden_cases(concern_case, sergeant, officer):
    assert {i.reference for i in workbench.overdue(officer, face="test")} == {"C-1"}
    services.restrict_case(sergeant, "C-1")
    assert workbench.overdue(officer, face="test") == []
    listed = AuditEntry.objects.filter(target_type="overdue", actor="officer1")
    assert [e.verb for e in listed] == ["consultation", "consultation"]


def test_compare_two_linked_cases(linked_pair, analyst, officer):
    found = comparison.compare(analyst, linked_pair.pk, face="test")
    assert (found.a.reference, found.b.reference) == ("L-1", "L-2")
    assert found.alert is not None and found.alert.answered is False
    assert found.reasons and all(r.sentence for r in found.reasons)
    assert found.judgements == ()
    judge(analyst, linked_pair.pk, Verdict.UNSURE, "Need Caller One's phone records.")
    again = comparison.compare(analyst, linked_pair.pk, face="test")
    assert [j.verdict for j in again.judgements] == ["unsure"]
    with pytest.raises(services.Forbidden):
        comparison.compare(officer, linked_pair.pk, face="test")
    viewed = AuditEntry.objects.filter(event="case.viewed", actor="analyst1")
    assert sorted(e.target_ref for e in viewed) == ["L-1", "L-1", "L-2", "L-2"]


def test_compare_masks_and_hides_by_need_to_know(linked_pair, analyst, sergeant):
    judge(analyst, linked_pair.pk, Verdict.UNSURE, "Caller One rang both times.")
    outsider = make_user("inv-x", UserRole.INVESTIGATOR)
    services.restrict_case(sergeant, "L-2")
    with pytest.raises(services.NotFound) as info:
        comparison.compare(outsider, linked_pair.pk, face="test")
    assert info.value.reason == f"there is no link {linked_pair.pk}"
    with pytest.raises(services.NotFound):
        comparison.compare(analyst, 999_999, face="test")
    # the sergeant is named: sees it, with the restricted deceased withheld from no one who
    # may see sensitive fields
    found = comparison.compare(sergeant, linked_pair.pk, face="test")
    assert found.b.report.deceased.name == "Alex Testperson"


def test_restriction_changes_at_a_stale_version_change_nothing(officer, sergeant):
    make_user("inv-v", UserRole.INVESTIGATOR)
    services.open_case(officer, "V-1", suspicious_report(), known_at=T0)
    version = m.Case.objects.get(reference="V-1").version
    with pytest.raises(services.StaleVersion):
        versioned.restrict_case(sergeant, "V-1", ["inv-v"], version=version - 1)
    assert not m.Case.objects.get(reference="V-1").restricted
    assert not m.CaseAccess.objects.exists()
    assert versioned.restrict_case(sergeant, "V-1", ["inv-v"], version=version) == [
        "inv-v",
        "sergeant1",
    ]
    versioned.unname_from_case(sergeant, "V-1", "inv-v", version=version)
    versioned.name_on_case(sergeant, "V-1", "inv-v", version=version)
    with pytest.raises(services.StaleVersion):
        versioned.unrestrict_case(sergeant, "V-1", version=version + 5)
    assert m.Case.objects.get(reference="V-1").restricted
    versioned.unrestrict_case(sergeant, "V-1", version=version)
    assert not m.Case.objects.get(reference="V-1").restricted
    with pytest.raises(services.Forbidden):
        versioned.unrestrict_case(officer, "V-1", version=version)
