import json

from typer.testing import CliRunner

from vigil.audit.models import AuditEntry
from vigil.cli.app import app

runner = CliRunner()


def test_alerts_judge_and_series_at_the_command_line(linked_pair, analyst):
    listed = runner.invoke(app, ["alerts", "--json", "--as", "analyst1"])
    assert listed.exit_code == 0, listed.output
    [alert] = json.loads(listed.stdout)
    assert (alert["a"], alert["b"], alert["analyst"]) == ("L-1", "L-2", "analyst1")
    assert any("+447700900461" in reason for reason in alert["reasons"])
    refused = runner.invoke(
        app,
        [
            "judge",
            str(alert["link"]),
            "--verdict",
            "confirm",
            "--reason",
            "yes",
            "--as",
            "officer1",
        ],
    )
    assert refused.exit_code == 1 and "may not judge links" in refused.output
    done = runner.invoke(
        app,
        [
            "judge",
            str(alert["link"]),
            "--verdict",
            "confirm",
            "--reason",
            "Same phone.",
            "--as",
            "analyst1",
        ],
    )
    assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["series", "show", "L-2", "--json", "--as", "analyst1"])
    page = json.loads(shown.stdout)
    assert [c["reference"] for c in page["cases"]] == ["L-1", "L-2"]
    assert json.loads(runner.invoke(app, ["alerts", "--json", "--as", "analyst1"]).stdout) == []
    # The operator at the shell acts as an administrator, whose role sees no alerts.
    assert runner.invoke(app, ["alerts"]).exit_code == 1
    assert AuditEntry.objects.filter(event="alerts.listed", verb="consultation").count() == 2


def test_link_all_relinks_the_store(linked_pair):
    result = runner.invoke(app, ["link", "--all"])
    assert result.exit_code == 0, result.output
    assert "links kept" in result.output
