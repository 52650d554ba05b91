"""Records other than deaths (issue 13, item 1), through the services: a drugging report and an
intelligence entry are opened, read, listed, masked and kept to need-to-know as a death is;
their kind is fixed when opened; the death policy (category, floor, checklist) leaves them out.
Synthetic people only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from vigil import services
from vigil.domain import Category, DeathReport, PersonEntry, RecordKind, UserRole
from vigil.domain.masking import WITHHELD
from vigil.records import models as m
from vigil.services.readmodels.reading import CaseFilters, case_listing


def drugging(**extra: Any) -> DeathReport:
    """A survivor's report: met a man on an app, woke hours later; GHB suspected."""
    data: dict[str, Any] = {
        "kind": "drugging",
        "reported_at": T0 + timedelta(days=40),
        "found_at": T0 + timedelta(days=39),
        "circumstances": "Met him through an app; woke up hours later in his flat.",
        "location": {"address": "12 Testing Row, London E6 1AB", "place_type": "home"},
        "deceased": {"name": "Jo Testsurvivor", "sex": "male", "age": 22},
        "drugging": {
            "reporter": "survivor",
            "met_via": "an app",
            "handle": "@dan_e6",
            "name_used": "Dan",
            "phone": "07700 900777",
            "substances_suspected": ["ghb"],
            "wants_contact": True,
        },
        **extra,
    }
    return DeathReport.model_validate(data)


def intelligence(**extra: Any) -> DeathReport:
    data: dict[str, Any] = {
        "kind": "intelligence",
        "reported_at": T0 + timedelta(days=5),
        "circumstances": "Stopped in a car park with a bottle of clear liquid.",
        "deceased": {"name": "Sam Testsubject", "sex": "male"},
        "intelligence": {"type": "prior_contact", "source": "custody record"},
        **extra,
    }
    return DeathReport.model_validate(data)


@pytest.mark.parametrize(
    ("make", "kind"),
    [(drugging, RecordKind.DRUGGING), (intelligence, RecordKind.INTELLIGENCE)],
)
def test_each_kind_is_opened_and_read_back_with_its_facts(officer, make, kind):
    services.open_case(officer, "R-1", make())
    state = services.view_case(officer, "R-1", face="web")
    assert state.view.report.kind is kind
    assert m.Case.objects.get(reference="R-1").kind == kind.value
    times = {f.path for f in state.view.facts}
    assert "kind" in times and "circumstances" in times
    document = services.case_document(state)
    assert document["report"]["kind"] == kind.value and document["evaluation"] is None


def test_a_death_stays_the_default_kind(officer):
    services.open_case(officer, "D-1", suspicious_report())
    assert m.Case.objects.get(reference="D-1").kind == "death"
    assert services.view_case(officer, "D-1", face="web").view.report.kind is RecordKind.DEATH


@pytest.mark.parametrize(("opened", "changed"), [("D-1", "drugging"), ("R-1", "death")])
def test_the_kind_cannot_change_after_opening(officer, opened, changed):
    services.open_case(officer, "D-1", suspicious_report())
    services.open_case(officer, "R-1", drugging())
    with pytest.raises(services.Invalid) as refused:
        services.record_facts(officer, opened, DeathReport(kind=changed))
    assert refused.value.field == "kind"
    assert "fixed when it is opened" in refused.value.reason
    assert not m.Fact.objects.filter(case__reference=opened, path="kind", value=changed).exists()


def test_a_section_of_another_kind_is_refused_naming_it(officer):
    services.open_case(officer, "R-1", drugging())
    with pytest.raises(services.Invalid) as refused:
        services.record_facts(officer, "R-1", suspicious_report(kind="drugging"))
    assert refused.value.field.split(".")[0] in {"first_account", "scene", "toxicology"}
    assert refused.value.reason == "is not part of a drugging report"
    with pytest.raises(services.Invalid) as death:
        services.open_case(officer, "D-9", DeathReport(drugging={"handle": "@someone"}))
    assert (death.value.field, death.value.reason) == ("drugging.handle", "is not part of a death")


def test_the_death_policy_leaves_other_kinds_out(officer, sergeant):
    services.open_case(officer, "D-1", suspicious_report())
    state = services.open_case(officer, "R-1", drugging())
    assert state.evaluation is None
    case = m.Case.objects.get(reference="R-1")
    assert (case.category, case.floor, case.policy_version) == ("", "", "")
    assert not m.ChecklistItem.objects.filter(case=case).exists()
    assert m.ChecklistItem.objects.filter(case__reference="D-1").exists()
    queue = [row.reference for row in services.review_listing(sergeant, face="web").rows]
    assert queue == ["D-1"]
    with pytest.raises(services.Invalid) as refused:
        services.decide_category(sergeant, "R-1", Category.HOMICIDE, "A rationale.")
    assert refused.value.field == "category" and "categories are for deaths" in refused.value.reason
    assert services.preview_report(officer, drugging(), face="web") is None


def test_the_list_and_search_show_the_kind_and_filter_by_it(officer):
    services.open_case(officer, "D-1", suspicious_report())
    services.open_case(officer, "R-1", drugging())
    services.open_case(officer, "I-1", intelligence())
    every = case_listing(officer, face="web")
    assert {(row.reference, row.kind) for row in every.rows} == {
        ("D-1", "death"),
        ("R-1", "drugging"),
        ("I-1", "intelligence"),
    }
    only = case_listing(officer, face="web", filters=CaseFilters(kind="drugging"))
    assert [(row.reference, row.kind_label) for row in only.rows] == [("R-1", "Drugging report")]
    with pytest.raises(services.Invalid):
        case_listing(officer, face="web", filters=CaseFilters(kind="burglary"))
    found = services.search_cases(officer, "Testsurvivor", face="web")
    assert [(h.reference, h.kind) for h in found.hits] == [("R-1", "drugging")]
    assert not services.search_cases(officer, "Testsurvivor", face="web", kind="death").hits


def test_the_person_reported_is_withheld_from_a_reader_who_may_see_no_identity(
    officer, investigator
):
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    report = drugging(circumstances="Dan gave me 07700 900777.")
    subject = report.deceased.model_copy(update={"sexuality": "gay"})
    services.open_case(investigator, "R-1", report.model_copy(update={"deceased": subject}))
    services.record_person(
        investigator,
        "R-1",
        PersonEntry(
            ref="P-R",
            name="Dan Testsuspect",
            roles=["person_reported"],
            identifiers=[{"kind": "handle", "value": "@dan_e6"}],
        ),
    )
    shown = services.view_case(panel, "R-1", face="web").view
    report = shown.report
    given = report.drugging
    assert (given.handle, given.name_used, given.phone) == (WITHHELD, WITHHELD, WITHHELD)
    assert report.deceased.sexuality == WITHHELD  # sensitive, as a death's deceased's is
    assert "07700" not in (report.circumstances or "") and "Dan" not in report.circumstances
    (person,) = shown.persons
    assert person.name == WITHHELD and person.identifiers[0].value == WITHHELD
    seen = services.view_case(officer, "R-1", face="web").view.report
    assert seen.drugging.handle == "@dan_e6" and seen.drugging.phone == "07700 900777"
    assert seen.deceased.sexuality == WITHHELD  # the officer may see identities, not this


def test_a_restricted_report_is_need_to_know(officer, investigator):
    services.open_case(investigator, "R-1", drugging())
    services.restrict_case(investigator, "R-1", [])
    with pytest.raises(services.NotFound):
        services.view_case(officer, "R-1", face="web")
    assert not case_listing(officer, face="web").rows
    assert services.view_case(investigator, "R-1", face="web").view.report.kind == "drugging"
    assert case_listing(SYSTEM, face="cli").total == 0  # the operator is not named on it


def test_search_finds_what_a_report_of_another_kind_holds_as_the_reader_may_see_it(
    officer, investigator
):
    """The person reported (handle, name used, phone, app, description) is an identity: found
    by a reader who may see identities, with where it was found; the substances suspected and
    an intelligence entry's source are open to every reader (records.0020)."""
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    services.open_case(
        officer,
        "R-1",
        drugging(
            drugging={
                "handle": "@dan_e6",
                "app": "Testapp",
                "name_used": "Danforth",
                "description": "tall, a tattoo of a swallow",
                "substances_suspected": ["gbl"],
            }
        ),
    )
    services.open_case(officer, "I-1", intelligence())
    for query in ("@dan_e6", "danforth", "testapp", "swallow"):
        assert [h.reference for h in services.search_cases(officer, query, face="web").hits] == [
            "R-1"
        ], query
        assert not services.search_cases(panel, query, face="web").hits, query
    hit = services.search_cases(officer, "swallow", face="web").hits[0]
    assert "description of the person reported" in {m.field for m in hit.matches}
    assert [h.reference for h in services.search_cases(panel, "gbl", face="web").hits] == ["R-1"]
    found = services.search_cases(panel, "custody record", face="web").hits
    assert [h.reference for h in found] == ["I-1"]
    services.record_facts(officer, "R-1", drugging(drugging={"app": "Otherapp"}))
    assert not services.search_cases(officer, "testapp", face="web").hits  # the index follows
    assert services.search_cases(officer, "otherapp", face="web").hits
