"""Masking by role, done in the services so that every face (web, API, CLI, export) gets it."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.domain import DeathReport, PersonEntry, UserRole
from vigil.domain.masking import WITHHELD
from vigil.services.linkage.series import Verdict, judge, list_alerts, series_of
from vigil.services.readmodels.search import search_cases
from vigil.services.readmodels.seriespage import series_chart

SENSITIVE = {"deceased": {"sexuality": "gay", "drug_use": "GHB at weekends"}}


@pytest.fixture
def case(officer, sergeant):
    services.open_case(officer, "S-1", suspicious_report(), known_at=T0)
    # sensitive fields are recorded by a role that may read them
    services.record_facts(sergeant, "S-1", DeathReport.model_validate(SENSITIVE), known_at=T0)
    services.record_person(
        officer,
        "S-1",
        PersonEntry(
            ref="P-C",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
            statement="Alex Testperson was at my flat.",
        ),
    )
    return "S-1"


@pytest.mark.parametrize(
    ("role", "sees_sensitive", "sees_names"),
    [
        (UserRole.RESPONSE_OFFICER, False, True),
        (UserRole.REVIEWING_OFFICER, True, True),
        (UserRole.INVESTIGATOR, True, True),
        (UserRole.ANALYST, False, True),
        (UserRole.PANEL_MEMBER, False, False),
        (UserRole.ADMINISTRATOR, False, True),
    ],
)
def test_what_each_role_sees_of_a_case(case, role, sees_sensitive, sees_names):
    reader = make_user(f"reader-{role.value}", role)
    view = services.view_case(reader, case, face="test").view
    deceased = view.report.deceased
    assert (deceased.sexuality == "gay") is sees_sensitive
    assert (deceased.drug_use == "GHB at weekends") is sees_sensitive
    if not sees_sensitive:
        assert deceased.sexuality == deceased.drug_use == WITHHELD
    assert (deceased.name == "Alex Testperson") is sees_names
    [caller] = view.persons
    assert (caller.name == "Caller One") is sees_names
    [phone] = [i.value for i in caller.identifiers if i.kind == "phone"]
    assert ("900461" in phone) is sees_names
    assert all((i.value == WITHHELD) is not sees_names for i in caller.identifiers)
    assert ("Alex" in (caller.statement or "")) is sees_names
    [_, listed] = services.list_cases(reader, face="test")
    assert (listed[0].deceased_name == "Alex Testperson") is sees_names


def test_the_writer_gets_back_the_case_masked_too(case, officer):
    state = services.record_facts(
        officer, case, DeathReport.model_validate({"circumstances": "Found by a wall."})
    )
    assert state.view.report.deceased.sexuality == WITHHELD


def test_a_panel_member_cannot_find_a_case_by_a_name_they_may_not_see(case):
    panel = make_user("panel-x", UserRole.PANEL_MEMBER)
    assert services.list_cases(panel, face="test", search="Testperson")[0] == 0
    assert services.list_cases(panel, face="test", search="S-1")[0] == 1


def test_on_a_restricted_case_the_victims_identity_is_masked_for_a_named_analyst(case, sergeant):
    analyst = make_user("analyst-x", UserRole.ANALYST)
    services.restrict_case(sergeant, case, ["analyst-x"])
    view = services.view_case(analyst, case, face="test").view
    assert view.report.deceased.name == WITHHELD
    assert view.report.deceased.age == 23  # not identity
    assert view.persons[0].name == "Caller One"  # the caller is not the victim
    assert "Alex" not in (view.persons[0].statement or "")
    [_, rows] = services.list_cases(analyst, face="test")
    assert rows[0].deceased_name == WITHHELD
    assert services.list_cases(analyst, face="test", search="Testperson")[0] == 0
    assert services.view_case(sergeant, case, face="test").view.report.deceased.name == (
        "Alex Testperson"
    )


def test_an_export_leaves_out_what_the_exporter_may_not_see(case):
    analyst = make_user("analyst-x", UserRole.ANALYST)
    out = io.StringIO()
    services.export_cases(analyst, out)
    line = json.loads(out.getvalue())
    text = json.dumps(line)
    assert "gay" not in text and "GHB at weekends" not in text and WITHHELD not in text
    csv = io.StringIO()
    services.export_cases(analyst, csv, fmt="csv")
    assert "gay" not in csv.getvalue()
    investigator = make_user("investigator-x", UserRole.INVESTIGATOR)
    full = io.StringIO()
    services.export_cases(investigator, full)
    assert "GHB at weekends" in full.getvalue()


def test_alert_reasons_do_not_name_a_restricted_victim(linked_pair, sergeant, analyst):
    services.record_person(
        sergeant,
        "L-2",
        PersonEntry(
            ref="P-D2",
            name="Alex Testperson",
            roles=["deceased"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    before = " ".join(r for a in list_alerts(analyst, face="test") for r in a.reasons)
    assert "+447700900461" in before
    services.restrict_case(sergeant, "L-2", ["analyst1"])
    after = " ".join(r for a in list_alerts(analyst, face="test") for r in a.reasons)
    assert after and "+447700900461" not in after and WITHHELD in after


# --- the panel on every face: written forms of identifiers, and the place to about 1 km ---

PANEL_TEXT = (
    "Caller One rang from 07700900461, then +44 7700 900461; CALLER ONE's friend (07700 900888, "
    "friend@example.org) met ALEX by the church (IG11 7QR). Note signed A.T."
)


@pytest.fixture
def panel(db):
    return make_user("panel1", UserRole.PANEL_MEMBER)


def assert_nothing_identifying(text: str) -> None:
    for leak in ("900461", "900888", "example.org", "Caller", "CALLER", "ALEX", "A.T.", "7QR"):
        assert leak not in text, (leak, text)


def test_the_panel_reads_no_identifier_on_the_case_page(case, officer, panel):
    services.record_facts(
        officer,
        case,
        DeathReport.model_validate(
            {"circumstances": PANEL_TEXT, "location": {"description": "Behind 3 Elm Road"}}
        ),
    )
    view = services.view_case(panel, case, face="test").view
    assert_nothing_identifying(view.report.circumstances or "")
    assert "IG11" in (view.report.circumstances or "")  # the postcode's district
    location = view.report.location
    assert (location.latitude, location.longitude) == (51.54, 0.08)
    assert location.description == WITHHELD
    assert all("Elm Road" not in str(f.value) for f in view.facts)
    assert {f.value for f in view.facts if f.path == "location.latitude"} == {51.54}
    full = services.view_case(make_user("reader-x", UserRole.ANALYST), case, face="test").view
    assert full.report.location.latitude == 51.5386  # a reader who may see the address


def test_the_panel_sees_series_points_and_link_reasons_coarsened(linked_pair, analyst, panel):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")
    page = series_of(panel, "L-1", face="test")
    assert page.places == [("L-1", 51.54, 0.08), ("L-2", 51.54, 0.08)]
    reasons = json.dumps([link.model_dump()["reasons"] for link in page.links])
    assert "900461" not in reasons and "Caller One" not in reasons and "Friend" not in reasons
    assert series_of(analyst, "L-1", face="test").places[0] == ("L-1", 51.5386, 0.0811)
    chart = series_chart(panel, "L-1", face="test")
    assert {s.report.location.latitude for s in chart.sides} == {51.54}


def test_a_panel_search_shows_nothing_identifying(case, officer, panel):
    services.record_facts(officer, case, DeathReport.model_validate({"circumstances": PANEL_TEXT}))
    results = search_cases(panel, "church", face="test")
    assert_nothing_identifying(json.dumps([[m.text for m in h.matches] for h in results.hits]))
