import json

import pytest
from typer.testing import CliRunner

from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.cli.app import app
from vigil.interchange.record import CaseRecord

runner = CliRunner()


def test_case_show_json_gives_floor_and_unmet_items_with_reasons(officer):
    services.open_case(officer, "C-1", suspicious_report(), known_at=T0)
    result = runner.invoke(app, ["case", "show", "C-1", "--json", "--as", "officer1"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    ev = doc["evaluation"]
    assert ev["floor"] == "unexpected_under_investigation"
    assert ev["unmet"] and all(item["reason"] for item in ev["unmet"])
    assert doc["report"]["scene"]["phone"] == "missing"
    assert doc["fact_times"]["scene.phone"]["recorded_by"] == "officer1"


def test_case_show_of_an_unknown_case_is_refused_clearly(db):
    result = runner.invoke(app, ["case", "show", "NOPE"])
    assert result.exit_code == 1
    assert "there is no case 'NOPE'" in result.output


def test_import_reports_bad_lines_and_exits_non_zero(officer, tmp_path):
    path = tmp_path / "in.jsonl"
    good = CaseRecord(reference="C-2", report=suspicious_report()).model_dump_json()
    path.write_text(good + "\n" + '{"reference": 5}\n')
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert "1 created" in result.stdout
    assert "line 2" in result.output and "reference" in result.output


def test_checklist_overdue_lists_items_past_deadline(officer):
    services.open_case(officer, "C-3", suspicious_report(), known_at=T0)
    result = runner.invoke(app, ["checklist", "--overdue", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["reference"] for r in rows} == {"C-3"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson"])
def test_export_formats(officer, fmt, tmp_path):
    services.open_case(officer, "C-4", suspicious_report(), known_at=T0)
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "C-4" in out.read_text()


def test_export_refuses_an_unknown_format(db):
    result = runner.invoke(app, ["export", "--format", "xml"])
    assert result.exit_code == 2 and "--format" in result.output


def test_audit_verify_passes_on_an_intact_trail(officer):
    services.open_case(officer, "C-5", suspicious_report(), known_at=T0)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
