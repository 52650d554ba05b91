"""Linkage profiles and explanations of records other than deaths (issue 13, item 1): a drugging
report's person reported holds its handle, name used, phone and address like anyone on a case;
its subject is the person harmed; an explanation names the kind of each record."""

from __future__ import annotations

from dataclasses import replace

from vigil.domain import CaseView, DeathReport, Role
from vigil.linkage.explain import explain, sides_of
from vigil.linkage.features import compare_all
from vigil.linkage.profile import build

from .factories import FREQUENCIES, person, profile


def _drugging(reference: str, **drugging: object) -> CaseView:
    report = DeathReport.model_validate(
        {
            "kind": "drugging",
            "found_at": "2015-08-01T23:00:00Z",
            "deceased": {"name": "Jo Testsurvivor", "sex": "male", "age": 22},
            "drugging": {"substances_suspected": ["GHB"], **drugging},
        }
    )
    return CaseView(reference=reference, report=report)


def test_the_person_reported_holds_what_the_report_gives_for_them():
    built = build(
        _drugging(
            "R-1",
            handle="@Dan_E6",
            name_used="Dan Testman",
            phone="07700 900777",
            address="14 Elm Rd, London E6 2AB",
        )
    )
    keys = set(built.row["identifiers"])
    assert {"handle:dan_e6", "alias:dan testman", "phone:+447700900777"} <= keys
    assert "address:14 ELM ROAD LONDON E6 2AB" in keys and "postcode:E6 2AB" in keys
    assert built.roles["handle:dan_e6"] == ("person_reported (Dan Testman)",)
    assert built.roles["name:jo testsurvivor"] == ("person harmed (Jo Testsurvivor)",)
    assert "dan testman" in built.row["names"] and built.row["substances"] == ["ghb"]
    assert built.kind == "drugging" and built.stored()["kind"] == "drugging"


def test_a_report_without_identifiers_of_the_person_reported_gives_none():
    built = build(_drugging("R-2", phone="not a number"))
    assert not [k for k in built.row["identifiers"] if k.startswith(("phone", "handle"))]


def test_an_explanation_names_the_kind_of_each_record_when_one_is_not_a_death():
    report = build(_drugging("R-1", handle="@dan_e6"))
    report = replace(report, row=FREQUENCIES.annotate(report.row))
    friend = person("p1", Role.FRIEND, name="Robin Testfriend", statement="He met @dan_e6.")
    death = profile("D-1", friend)
    assert sides_of(death, report) == ("the death D-1", "the drugging report R-1")
    assert sides_of(death, death) == ("D-1", "D-1")  # two deaths read as they always did
    compared = compare_all(death.row, report.row)
    weights = {name: 1.0 if c.level == 0 else 0.0 for name, c in compared.items()}
    reasons = explain(death, report, weights, FREQUENCIES, by_reference=True)
    (shared,) = [r.sentence for r in reasons if r.feature == "identifiers"]
    assert shared == (
        "share online handle dan_e6: written in the statement of Robin Testfriend on the death "
        "D-1, person reported on the drugging report R-1"
    )
