"""Command units in the store: a case placed by its coordinates on every change, a unit named
on the report overriding that, loading units (refusing to leave cases without a unit unless
told where they go), users' units, and the lists filtered by unit without breaking
need-to-know."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from tests.services.units_files import (
    EAST,
    EAST_ALONE,
    EAST_LON,
    FORCE,
    WEST,
    WEST_LON,
    units_file,
)
from vigil import services
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, UserRole
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.services import CaseFilters, Forbidden, Invalid
from vigil.services.casework.placement import current_units


def unit_of(reference: str) -> str | None:
    return m.Case.objects.get(reference=reference).unit_id


def at(lon: float, **more: object) -> DeathReport:
    return suspicious_report(location__longitude=lon, **more)


@pytest.fixture
def units(db) -> None:
    services.load_units(SYSTEM, units_file(), name="test-units.geojson")


def test_a_case_is_placed_in_the_unit_its_coordinates_fall_in(officer, units):
    services.open_case(officer, "E-1", at(EAST_LON), known_at=T0)
    services.open_case(officer, "W-1", at(WEST_LON), known_at=T0)
    services.open_case(officer, "X-1", at(5.0), known_at=T0)  # outside every unit
    nowhere = DeathReport.model_validate({"reported_at": T0, "location": {"address": "Unknown"}})
    services.open_case(officer, "N-1", nowhere, known_at=T0)
    assert [unit_of(r) for r in ("E-1", "W-1", "X-1", "N-1")] == ["E", "W", None, None]


def test_a_change_of_coordinates_places_the_case_again(officer, units):
    services.open_case(officer, "E-1", at(EAST_LON), known_at=T0)
    moved = DeathReport.model_validate({"location": {"longitude": WEST_LON}})
    services.record_facts(officer, "E-1", moved, known_at=T0 + timedelta(hours=1))
    assert unit_of("E-1") == "W"


def test_a_unit_named_on_the_report_overrides_the_coordinates(officer, units):
    services.open_case(officer, "E-1", at(EAST_LON, location__unit="W"), known_at=T0)
    assert unit_of("E-1") == "W"
    later = DeathReport.model_validate({"location": {"latitude": 51.6, "longitude": 0.2}})
    services.record_facts(officer, "E-1", later, known_at=T0 + timedelta(hours=1))
    assert unit_of("E-1") == "W"  # still the unit named, wherever the coordinates say
    cleared = DeathReport.model_validate({"location": {"unit": None}})
    services.record_facts(officer, "E-1", cleared, known_at=T0 + timedelta(hours=2))
    assert unit_of("E-1") == "E"  # named no more: placed by its coordinates again


def test_a_unit_that_does_not_exist_is_refused_naming_the_field(officer, units):
    with pytest.raises(Invalid) as refused:
        services.open_case(officer, "Z-1", at(EAST_LON, location__unit="ZZ"), known_at=T0)
    assert refused.value.field == "location.unit"
    assert "'ZZ'" in refused.value.reason and "E, W" in refused.value.reason
    assert not m.Case.objects.filter(reference="Z-1").exists()


def test_an_import_places_its_new_cases_and_refuses_an_unknown_unit(officer, units):
    def line(reference: str, **report: object) -> str:
        record = CaseRecord(reference=reference, report=at(WEST_LON, **report))
        return record.model_dump_json(exclude_unset=True)

    report = services.import_lines(
        SYSTEM, io.StringIO("\n".join([line("I-1"), line("I-2", location__unit="QQ")])), link=False
    )
    assert report.created == 1
    assert [(e.reference, e.field) for e in report.errors] == [("I-2", "report.location.unit")]
    assert unit_of("I-1") == "W"


def test_loading_units_places_the_cases_already_stored_and_is_audited(officer):
    services.open_case(officer, "E-1", at(EAST_LON), known_at=T0)
    assert unit_of("E-1") is None  # no units yet
    loaded = services.load_units(SYSTEM, json.dumps(units_file()), name="units.geojson")
    assert (loaded.units, loaded.added, loaded.cases_placed) == (3, ("E", "F", "W"), 1)
    assert unit_of("E-1") == "E"
    row = AuditEntry.objects.get(event=Event.UNITS_LOADED.code)
    payload = json.loads(row.payload)
    assert payload["file"] == "units.geojson" and payload["cases_placed"] == 1


def test_a_broken_file_is_refused_naming_each_feature_and_nothing_changes(units):
    broken = units_file(FORCE, EAST, WEST)
    del broken["features"][1]["properties"]["name"]
    broken["features"][2]["properties"]["parent"] = "NOPE"
    with pytest.raises(Invalid) as refused:
        services.load_units(SYSTEM, broken, name="bad.geojson")
    assert refused.value.field == "units"
    assert "bad.geojson: feature 1 has no 'name'" in refused.value.reason
    assert m.Unit.objects.count() == 3


def test_a_code_longer_than_a_column_is_refused(db):
    long = ("X" * 21, "Too long", None, 0.0, 51.0, 1.0, 52.0)
    with pytest.raises(Invalid, match=r"feature 0's 'code' has 21 characters; .* at most 20"):
        services.load_units(SYSTEM, units_file(long))


def test_a_reload_refuses_to_leave_cases_without_a_unit(officer, units):
    services.open_case(officer, "W-1", at(WEST_LON), known_at=T0)
    services.open_case(officer, "N-1", at(EAST_LON, location__unit="W"), known_at=T0)
    east_only = units_file(EAST_ALONE)
    with pytest.raises(Invalid) as refused:
        services.load_units(SYSTEM, east_only)
    assert refused.value.field == "moves"
    assert "unit 'F' (Test Force)" not in refused.value.reason  # F holds no case itself
    assert "unit 'W' (West Borough) is not in the new file, but 2 cases" in refused.value.reason
    assert m.Unit.objects.count() == 3 and unit_of("W-1") == "W" and unit_of("N-1") == "W"
    assert AuditEntry.objects.filter(event=Event.UNITS_LOADED.code).count() == 1


def test_a_case_its_coordinates_place_in_another_unit_is_not_left_without_one(officer, units):
    services.open_case(officer, "W-1", at(WEST_LON), known_at=T0)
    loaded = services.load_units(SYSTEM, units_file(FORCE, EAST))  # W goes; F still holds it
    assert loaded.removed == ("W",) and unit_of("W-1") == "F"


def test_moves_send_a_removed_units_cases_and_users_where_they_are_told(officer, units):
    services.open_case(officer, "W-1", at(WEST_LON), known_at=T0)
    services.set_user_unit(SYSTEM, "officer1", "W")
    version = m.Case.objects.get(reference="W-1").version
    loaded = services.load_units(SYSTEM, units_file(EAST_ALONE), moves={"W": "E"})
    assert (loaded.cases_moved, loaded.users_moved) == ({"W": 1}, {"W": 1})
    case = m.Case.objects.get(reference="W-1")
    assert case.unit_id == "E" and case.version == version + 1
    assert case.state["location"]["unit"] == "E"  # recorded on the report, as a fact
    fact = m.Fact.objects.get(case=case, path="location.unit")
    assert fact.recorded_by == SYSTEM.username
    assert services.user_unit("officer1") == "E"
    assert list(m.Unit.objects.values_list("code", flat=True)) == ["E"]


@pytest.mark.parametrize(
    ("moves", "words"),
    [({"E": "W"}, "'E' is not being removed"), ({"W": "Q"}, "'Q': it is not in the file")],
)
def test_a_move_must_be_from_a_removed_unit_to_one_in_the_file(units, moves, words):
    with pytest.raises(Invalid, match=words):
        services.load_units(SYSTEM, units_file(EAST_ALONE), moves=moves)


def test_only_an_administrator_loads_units_or_sets_a_users_unit(officer, units):
    with pytest.raises(Forbidden):
        services.load_units(officer, units_file())
    with pytest.raises(Forbidden):
        services.set_user_unit(officer, "officer1", "E")


def test_a_users_unit_is_set_audited_and_checked(officer, units):
    services.set_user_unit(SYSTEM, "officer1", "E")
    assert services.user_unit("officer1") == "E"
    row = AuditEntry.objects.get(event=Event.USER_UNIT_SET.code)
    assert json.loads(row.payload) == {"unit": "E", "was": None}
    with pytest.raises(Invalid, match="no command unit 'Q'"):
        services.set_user_unit(SYSTEM, "officer1", "Q")
    services.set_user_unit(SYSTEM, "officer1", None)
    assert services.user_unit("officer1") is None


def test_the_map_is_built_once_and_again_only_when_the_units_change(units):
    first = current_units()
    assert current_units() is first
    services.load_units(SYSTEM, units_file(FORCE, EAST))
    again = current_units()
    assert again is not first and again is not None and "W" not in again


def listed(actor, unit: str) -> list[str]:
    rows = services.case_listing(actor, face="test", filters=CaseFilters(unit=unit)).rows
    return sorted(r.reference for r in rows)


def test_a_filter_by_unit_takes_in_the_units_below_it(officer, units):
    services.open_case(officer, "E-1", at(EAST_LON), known_at=T0)
    services.open_case(officer, "W-1", at(WEST_LON), known_at=T0)
    services.open_case(officer, "X-1", at(5.0), known_at=T0)
    assert listed(officer, "E") == ["E-1"]
    assert listed(officer, "F") == ["E-1", "W-1"]
    assert listed(officer, "all") == listed(officer, "") == ["E-1", "W-1", "X-1"]
    assert services.list_cases(officer, face="test", unit="W")[0] == 1
    with pytest.raises(Invalid, match="no command unit 'Q'"):
        listed(officer, "Q")


def test_a_restricted_case_changes_no_units_counts(officer, sergeant, units):
    services.open_case(officer, "E-1", at(EAST_LON), known_at=T0)
    services.open_case(sergeant, "E-2", at(EAST_LON), known_at=T0)
    services.restrict_case(sergeant, "E-2", [])
    investigator = make_user("investigator1", UserRole.INVESTIGATOR)

    def counts(actor) -> dict[str, tuple[int, int]]:
        return {r.code: (r.cases, r.cases_within) for r in services.list_units(actor, face="t")}

    assert counts(investigator) == {"F": (0, 1), "E": (1, 1), "W": (0, 0)}
    assert counts(sergeant) == {"F": (0, 2), "E": (2, 2), "W": (0, 0)}
    assert listed(investigator, "E") == ["E-1"]
    assert services.list_cases(investigator, face="test", unit="F")[0] == 1


def test_the_reports_unit_fits_the_columns_it_is_stored_in():
    schema = DeathReport.model_json_schema()["$defs"]["Location"]["properties"]["unit"]
    bound = next(option["maxLength"] for option in schema["anyOf"] if "maxLength" in option)
    assert bound == m.Unit._meta.get_field("code").max_length
    assert bound == m.Case._meta.get_field("unit").target_field.max_length
