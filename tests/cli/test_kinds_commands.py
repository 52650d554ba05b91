"""Records other than deaths at the command line (issue 13, item 1): `vigil alerts` names the
kind of each record, and `vigil case show` says a drugging report has no category."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.conftest import suspicious_report
from tests.services.test_kinds import drugging
from vigil import services
from vigil.cli.app import app
from vigil.domain import PersonEntry

runner = CliRunner(env={"COLUMNS": "200"})


def test_alerts_and_case_show_name_the_kind(officer, analyst):
    services.open_case(officer, "D-1", suspicious_report())
    statement = "He met @dan_e6 on an app; his number was 07700 900777."
    friend = PersonEntry(ref="P-1", name="Robin Testfriend", roles=["friend"], statement=statement)
    services.record_person(officer, "D-1", friend)
    services.open_case(officer, "R-1", drugging())
    listed = runner.invoke(app, ["alerts", "--as", "analyst1"])
    assert listed.exit_code == 0, listed.output
    assert "D-1 (death) ~ R-1 (drugging report)" in listed.output
    shown = runner.invoke(app, ["case", "show", "R-1", "--as", "officer1"])
    assert shown.exit_code == 0, shown.output
    assert "drugging report" in shown.output and "has no category or checklist" in shown.output
    assert "Category:" not in shown.output
