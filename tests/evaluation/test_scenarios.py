"""Reconstructed series (scenarios/*.jsonl), the seeded background with its confounders, and
`vigil evaluate scenario` end to end on a small background (linkage quality is not asserted)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.cli.app import app
from vigil.demo import names
from vigil.demo.generate import to_line
from vigil.domain.enums import IdentifierKind
from vigil.domain.identifiers import is_organisation_number
from vigil.evaluation import background as bg
from vigil.evaluation import scenario
from vigil.interchange.record import CaseRecord

END = datetime(2015, 11, 15, tzinfo=UTC)
CT = (
    Path(__file__).resolve().parents[2].parent
    / "shared/data/ct-accidental-drug-deaths-2012-2018/Accidental_Drug_Related_Deaths_2012-2018.csv"
)
# Ofcom's drama ranges, normalised: mobiles 07700 900xxx, London 020 7946 0xxx, and the
# organisations' freephone 0808 157 0xxx and 0306 999 0xxx.
DRAMA = re.compile(r"^\+44(7700900|2079460|8081570|3069990)\d{3}$")
# Surnames of the real victims and of the men convicted, never used in a reconstruction (the
# Barking names are refused by vigil.demo.names itself).
REAL_SURNAMES = (
    *names.FORBIDDEN_SURNAMES, "Nicol", "Alderton", "Nicholls", "Clennell", "Wright", "Arden",
    "Lancaster", "Weaver", "Chua", "Denham",
)  # fmt: skip


@pytest.fixture(scope="module")
def east_london() -> list[tuple[bg.Kind, CaseRecord]]:
    return list(bg.generate_labelled(bg.REGIONS["east-london"], 1200, 3, end=END))


def _phones(record: CaseRecord) -> list[str]:
    return [
        i.normalised
        for p in record.persons
        for i in p.identifiers
        if i.kind is IdentifierKind.PHONE
    ]


def _nothing_withheld_from_the_officer(record: CaseRecord) -> bool:
    """Replay records as a response officer, who may not record the sensitive fields."""
    reports = (record.report, *(u.report for u in record.updates))
    return all(r.deceased.drug_use is None and r.deceased.sexuality is None for r in reports)


def _person_names(record: CaseRecord) -> list[str]:
    found = [p.name for p in record.persons if p.name]
    found += [r.deceased.name for r in (record.report, *(u.report for u in record.updates))]
    return [n for n in found if n]


@pytest.mark.parametrize("name", list(scenario.SCENARIOS))
def test_each_reconstruction_parses_with_its_series_label(name: str) -> None:
    records = scenario.load(name)
    assert len(records) >= 3
    assert {r.series for r in records} == {name}
    assert len({r.reference for r in records}) == len(records)
    for record in records:
        assert record.updates, f"{record.reference}: facts arrive as they became known"
        assert all(u.known_at >= (record.known_at or u.known_at) for u in record.updates)
        assert all(DRAMA.match(p) for p in _phones(record)), record.reference
        assert _nothing_withheld_from_the_officer(record), record.reference
        for written in _person_names(record):
            assert not set(written.split()) & set(REAL_SURNAMES + names.FORBIDDEN_GIVEN_NAMES)
    text = (scenario.DIRECTORY / f"{name}.jsonl").read_text()
    assert name in (scenario.DIRECTORY / "SOURCES.md").read_text()
    for number in re.findall(r"\b0\d{3,4} ?\d{3} ?\d{3,4}\b", text):
        assert DRAMA.match("+44" + number.replace(" ", "")[1:]), number


def test_barking_links_b_and_c_only_by_place_time_victim_and_drug() -> None:
    a, b, c, d = scenario.load("barking")
    refs = {r.reference: {p.ref for p in r.persons} for r in (a, b, c, d)}
    assert not refs[b.reference] & refs[c.reference]  # the hard case: another finder on C
    assert not set(_phones(b)) & set(_phones(c))
    caller = next(p for p in a.persons if "person_of_interest" in p.roles)
    home = next(u.report.deceased.home_address for u in b.updates if u.report.deceased.identified)
    assert home in {i.value for i in caller.identifiers}  # B lived at the caller's address
    first_name = next(u.report.deceased.name for u in b.updates if u.report.deceased.name)
    assert first_name and first_name.split()[0] in (c.report.scene.note_description or "")
    assert d.report.scene.phone == "missing"
    for record in (a, b, c, d):
        assert record.updates[-1].report.toxicology.substances or any(
            "ghb" in u.report.toxicology.substances for u in record.updates
        )


@pytest.mark.parametrize("name", ["ipswich", "stepping-hill"])
def test_no_person_or_identifier_is_shared(name: str) -> None:
    records = scenario.load(name)
    for one, two in combinations(records, 2):
        assert not {p.ref for p in one.persons} & {p.ref for p in two.persons}
        ids = lambda r: {i.normalised for p in r.persons for i in p.identifiers}  # noqa: E731
        assert not ids(one) & ids(two)


def test_the_background_is_deterministic_under_its_seed() -> None:
    region = bg.REGIONS["suffolk"]
    once = [to_line(r) for r in bg.generate(region, 80, 5, end=END)]
    again = [to_line(r) for r in bg.generate(region, 80, 5, end=END)]
    other = [to_line(r) for r in bg.generate(region, 80, 6, end=END)]
    assert once == again and once != other
    times = [CaseRecord.model_validate_json(line).known_at for line in once]
    assert times == sorted(times)


def test_the_background_spans_the_areas_rate() -> None:
    region = bg.REGIONS["east-london"]
    records = bg.generate(region, 520, 1, end=END)
    first = min(r.report.found_at for r in records if r.report.found_at)
    assert 150 <= (END - first).days <= 190  # 520 deaths at 1,040 a year: half a year
    assert bg.period_days(region, 10, min_days=400) == 400


def test_the_background_has_the_confounders_it_claims(east_london) -> None:
    kinds = Counter(kind for kind, _ in east_london)
    assert set(kinds) == set(bg.Kind)
    for kind, share in bg.MIX.items():
        assert kinds[kind] == pytest.approx(1200 * share / 100, abs=4 + 1200 * share / 400)
    of = lambda k: [r for kind, r in east_london if kind is k]  # noqa: E731
    for record in of(bg.Kind.CHEMSEX):
        assert any("ghb" in u.report.toxicology.substances for u in record.updates)
        assert any("friend" in p.roles for p in record.persons)
        assert record.report.location.place_type in ("home", "other_residence")
    hostel = Counter(p for r in of(bg.Kind.ROUGH_SLEEPER) for p in _phones(r))
    assert all(is_organisation_number(number) for number in hostel)
    assert max(hostel.values()) >= 10  # the hostel's number is on many cases
    notes = [r.report.scene.note_present for r in of(bg.Kind.SUICIDE)]
    assert 0.15 < sum(bool(n) for n in notes) / len(notes) < 0.6
    for record in of(bg.Kind.DROWNING):
        assert record.report.location.place_type == "river"
        assert "alcohol" in record.updates[0].report.toxicology.substances
    heroin = [r for r in of(bg.Kind.DRUGS_HOME) + of(bg.Kind.ROUGH_SLEEPER)]
    assert all(r.updates[0].report.toxicology.substances for r in heroin)


def test_the_background_uses_synthetic_names_and_drama_numbers_only(east_london) -> None:
    given = {*names.MALE_NAMES, *names.FEMALE_NAMES, *names.OLDER_MALE_NAMES}
    given |= set(names.OLDER_FEMALE_NAMES)
    for _, record in east_london:
        for written in _person_names(record):
            first, *_, last = written.split()
            assert first in given and last in names.SURNAMES, written
        assert all(DRAMA.match(p) for p in _phones(record)), record.reference
        emails = [i.value for p in record.persons for i in p.identifiers if i.kind == "email"]
        assert all(e.endswith(("@example.com", "@example.org")) for e in emails)
        assert record.series is None
        assert _nothing_withheld_from_the_officer(record), record.reference


def test_the_heroin_mix_is_the_connecticut_files() -> None:
    if not CT.exists():
        pytest.skip(f"the Connecticut file is not at {CT}")
    recomputed = bg.heroin_mix_from_ct(CT)
    assert recomputed["deaths"] == 756
    assert recomputed["mix"] == bg.HEROIN_MIX
    assert recomputed["male"] == bg.HEROIN_MALE
    assert recomputed["age"] == bg.HEROIN_AGE


def test_the_mix_puts_the_series_among_the_background_in_time_order() -> None:
    records = scenario.mixed("ipswich", 40, 0)
    assert len(records) == 45
    assert Counter(r.series for r in records) == {None: 40, "ipswich": 5}
    times = [r.known_at for r in records]
    assert times == sorted(times)  # type: ignore[type-var]
    assert all(r.reference.startswith("BG-SUFFOLK-S0-") for r in records if not r.series)


def test_an_unknown_scenario_is_refused_naming_the_known_ones() -> None:
    result = CliRunner().invoke(app, ["evaluate", "scenario", "nowhere", "--background", "5"])
    assert result.exit_code == 1
    assert "barking" in result.output and "nowhere" in result.output


@pytest.mark.slow
def test_the_harness_runs_end_to_end_on_a_small_background(tmp_path: Path) -> None:
    out = tmp_path / "mixed.jsonl"
    args = ["evaluate", "scenario", "barking", "--background", "30", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index("{") :])
    assert report["scenario"] == "barking" and report["cases"] == 34
    series = report["series"]["barking"]
    assert set(series) >= {"first_alert_case", "days_from_start", "joined", "joined_date"}
    assert "false_alerts_per_100" in report and report["seconds"] > 0
    assert len(out.read_text().splitlines()) == 34
    shown = CliRunner().invoke(app, ["evaluate", "scenario", "stepping-hill", "--background", "30"])
    assert shown.exit_code == 0, shown.output
    assert "stepping-hill" in shown.output and "First alert" in shown.output
    assert "false alerts" in shown.output
