"""Command units at the command line: `vigil units load|list`, `vigil user set-unit`, and the
demo's units and users."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import T0, suspicious_report
from tests.services.units_files import EAST_ALONE, EAST_LON, WEST_LON, units_file
from vigil import services
from vigil.cli.app import app
from vigil.demo.users import DEMO_UNITS
from vigil.records import models as m

runner = CliRunner()


def written(tmp_path: Path, data: object, name: str = "units.geojson") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_units_load_then_list_with_the_cases_in_each(officer, tmp_path):
    services.open_case(officer, "E-1", suspicious_report(location__longitude=EAST_LON), known_at=T0)
    loaded = runner.invoke(app, ["units", "load", written(tmp_path, units_file())])
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded 3 units from units.geojson: 3 new, 0 removed; 1 cases changed unit." in (
        loaded.output
    )
    listed = runner.invoke(app, ["units", "list", "--json", "--as", "officer1"])
    assert listed.exit_code == 0, listed.output
    rows = {
        r["code"]: (r["parent"], r["cases"], r["cases_within"]) for r in json.loads(listed.output)
    }
    assert rows == {"F": ("", 0, 1), "E": ("F", 1, 1), "W": ("F", 0, 0)}
    table = runner.invoke(app, ["units", "list"])
    assert "East Borough" in table.output and "Command units" in table.output


def test_a_broken_file_is_refused_with_the_feature_named(db, tmp_path):
    broken = units_file()
    broken["features"][2]["geometry"] = {"type": "Point", "coordinates": [0, 51]}
    result = runner.invoke(app, ["units", "load", written(tmp_path, broken, "bad.geojson")])
    assert result.exit_code == 1
    assert "bad.geojson: feature 2's geometry is not a polygon ('Point')" in result.output
    assert not m.Unit.objects.exists()


def test_a_removal_that_would_leave_cases_without_a_unit_needs_a_move(officer, tmp_path):
    runner.invoke(app, ["units", "load", written(tmp_path, units_file())])
    services.open_case(officer, "W-1", suspicious_report(location__longitude=WEST_LON), known_at=T0)
    east_only = written(tmp_path, units_file(EAST_ALONE), "east.geojson")
    refused = runner.invoke(app, ["units", "load", east_only])
    assert refused.exit_code == 1 and "unit 'W' (West Borough)" in refused.output
    assert runner.invoke(app, ["units", "load", east_only, "--move", "W"]).exit_code == 2
    moved = runner.invoke(app, ["units", "load", east_only, "--move", "W=E"])
    assert moved.exit_code == 0, moved.output
    assert "1 cases of W moved (recorded on their reports)." in moved.output
    assert m.Case.objects.get(reference="W-1").unit_id == "E"


def test_user_set_unit_and_back_to_none(officer, tmp_path):
    runner.invoke(app, ["units", "load", written(tmp_path, units_file())])
    done = runner.invoke(app, ["user", "set-unit", "officer1", "E"])
    assert done.exit_code == 0 and "officer1 is now in E." in done.output
    assert services.user_unit("officer1") == "E"
    refused = runner.invoke(app, ["user", "set-unit", "officer1", "E", "--as", "officer1"])
    assert refused.exit_code == 1 and "may not manage users" in refused.output
    assert runner.invoke(app, ["user", "set-unit", "officer1"]).exit_code == 0
    assert services.user_unit("officer1") is None


def test_the_demo_loads_its_units_and_puts_its_users_in_them(db):
    result = runner.invoke(app, ["demo", "--cases", "0", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Loaded 7 synthetic command units." in result.output
    assert m.Unit.objects.count() == 7
    for username, unit in DEMO_UNITS.items():
        assert services.user_unit(username) == unit
    assert services.user_unit("admin") is None
    again = runner.invoke(app, ["demo", "--cases", "0", "--no-serve"])  # a restart: same units
    assert again.exit_code == 0 and m.Unit.objects.count() == 7


def test_the_demos_cases_are_placed_in_its_boroughs(db):
    result = runner.invoke(app, ["demo", "--cases", "12", "--no-serve"])
    assert result.exit_code == 0, result.output
    units = list(m.Case.objects.values_list("unit_id", flat=True))
    assert len(units) == 12
    assert all(unit in {"EM", "HV", "SM", "WC", "NG", "RS"} for unit in units), units
