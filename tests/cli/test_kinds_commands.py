"""Records other than deaths at the command line (issue 13, item 1): `vigil alerts` names the
kind of each record, and `vigil case show` says a drugging report has no category; a death
linked to a record only the safeguarding team may see shows its analyst the notice and
nothing of the record, and the notice is answered with `vigil case answer-notice`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import suspicious_report
from tests.notices import TEAM_WORDS, leaked, linked
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


def test_the_deaths_analyst_reads_and_answers_a_notice_at_the_command_line(
    settings, sergeant, analyst
):
    """`vigil case show` lists the notice among the open actions, `--json` and `vigil alerts`
    hold nothing of the team's record, and `vigil case answer-notice` answers it."""
    notice = linked(settings).notice
    outputs = {
        " ".join(args): runner.invoke(app, [*args, "--as", "analyst1"])
        for args in (
            ["case", "show", "D-1"],
            ["case", "show", "D-1", "--json"],
            ["alerts", "--all"],
            ["checklist", "--overdue"],
        )
    }
    assert {cmd: r.exit_code for cmd, r in outputs.items()} == dict.fromkeys(outputs, 0)
    assert [cmd for cmd, r in outputs.items() if leaked(r.output)] == []
    shown = outputs["case show D-1"].output
    assert notice in shown and "safeguarding team" in shown
    (action,) = json.loads(outputs["case show D-1 --json"].output)["actions"]
    assert action["title"] == TEAM_WORDS
    answer = ["case", "answer-notice", "D-1", notice, "--result", "Asked; nothing to share yet."]
    refused = runner.invoke(app, [*answer, "--as", "safeguarding1"])
    assert refused.exit_code != 0 and leaked(refused.output) == []
    answered = runner.invoke(app, [*answer, "--as", "analyst1"])
    assert answered.exit_code == 0, answered.output
    assert f"Notice {notice} on D-1: answered." in answered.output
    again = runner.invoke(app, ["case", "show", "D-1", "--as", "analyst1"])
    assert notice not in again.output  # no longer open
