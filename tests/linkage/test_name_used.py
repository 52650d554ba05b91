"""The name a drugging report gives for the person reported ('name used', an alias) is a first
name like any person's on a case: it is counted among the store's first names for frequency,
and matched against a first name written in another record's free text, both ways (a death's
note naming 'Gabriel' and a report's person reported using 'Gabriel'; a report's account naming
'Gabriel' and a death whose deceased is Gabriel). Synthetic people only."""

from __future__ import annotations

from dataclasses import replace

from vigil.domain import CaseView, DeathReport
from vigil.linkage.explain import sides_of
from vigil.linkage.features import FIRST_NAME_BANDS, compare_all
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import Profile, build

from .factories import FREQUENCIES, profile


def _report(reference: str, **changes: object) -> Profile:
    data = {
        "kind": "drugging",
        "found_at": "2015-08-01T23:00:00Z",
        "deceased": {"name": "Jo Testsurvivor"},
        **changes,
    }
    built = build(CaseView(reference=reference, report=DeathReport.model_validate(data)))
    return replace(built, row=FREQUENCIES.annotate(built.row))


def test_the_name_used_is_a_first_name_of_the_report_and_is_counted():
    report = _report("R-1", drugging={"name_used": "Gabriel"})
    assert "gabriel" in report.row["names"]
    assert report.row["first_names"] == ["gabriel", "jo"]
    counted = Frequencies.of_rows([report.row, _report("R-2").row])
    assert counted.first_names == {"gabriel": 1, "jo": 2}
    band = FREQUENCIES.first_name_band("gabriel")
    assert f"{band}:gabriel" in report.row["first_name_bands"]  # banded as any first name


def test_a_deaths_note_naming_the_name_used_matches_it():
    death = profile("D-1", scene={"note_present": True, "note_description": "Gabriel x"})
    report = _report("R-1", drugging={"name_used": "Gabriel"})
    assert "gabriel" in death.row["text_first_names"]
    compared = compare_all(death.row, report.row, sides_of(death, report))["text_names"]
    assert compared.level == 1 + FREQUENCIES.first_name_band("gabriel")
    assert compared.level < len(FIRST_NAME_BANDS) + 2  # a match, not 'no name in common'
    assert compared.text == (
        "'Gabriel', named in the free text on the death D-1, is a first name on the drugging "
        "report R-1"
    )


def test_a_reports_account_naming_the_deceased_matches_the_death():
    death = profile("D-1", deceased={"name": "Gabriel Testvictim"})
    report = _report("R-1", circumstances="He said his friend Gabriel had been there too.")
    assert "gabriel" in report.row["text_first_names"]
    compared = compare_all(report.row, death.row, sides_of(report, death))["text_names"]
    assert compared.level == 1 + FREQUENCIES.first_name_band("gabriel")
    assert compared.text == (
        "'Gabriel', named in the free text on the drugging report R-1, is a first name on the "
        "death D-1"
    )


def test_a_name_used_is_not_taken_from_the_reports_own_text():
    """The report's own account repeating the name used is the same person, not a mention."""
    report = _report(
        "R-1", drugging={"name_used": "Gabriel"}, circumstances="Gabriel said to come over."
    )
    assert "gabriel" not in report.row["text_first_names"]
