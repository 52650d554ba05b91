"""`vigil escalate`, `vigil user supervisor` and `vigil units duty` at the command line."""

from __future__ import annotations

from datetime import timedelta

from typer.testing import CliRunner

from tests.conftest import suspicious_report
from vigil import services
from vigil.cli.app import app
from vigil.records import models as m

runner = CliRunner()


def test_escalate_refuses_a_time_it_cannot_read_and_changes_nothing(officer):
    services.open_case(officer, "ESC-CLI", suspicious_report())
    for bad, words in (("yesterday", "not a date and time"), ("2015-06-10T09:00", "no offset")):
        result = runner.invoke(app, ["escalate", "--at", bad])
        assert result.exit_code == 2 and words in result.output
    assert not m.Notification.objects.exists()


def test_escalate_sends_the_steps_due_and_says_how_many(officer, sergeant):
    assert runner.invoke(app, ["user", "supervisor", "officer1", "sergeant1"]).exit_code == 0
    services.open_case(officer, "ESC-CLI", suspicious_report())
    first = m.ChecklistItem.objects.exclude(deadline=None).order_by("deadline").first()
    assert first is not None and first.deadline is not None
    at = (first.deadline + timedelta(hours=25)).isoformat()
    result = runner.invoke(app, ["escalate", "--at", at])
    assert result.exit_code == 0, result.output
    sent = m.Notification.objects.count()
    assert sent >= 1 and f"{sent} step(s) sent" in result.output
    assert m.Notification.objects.filter(recipient="sergeant1").exists()


def test_the_chain_of_command_at_the_command_line_is_checked(officer):
    result = runner.invoke(app, ["user", "supervisor", "officer1", "nobody-here"])
    assert result.exit_code == 1 and "no Vigil user 'nobody-here'" in result.output
    result = runner.invoke(app, ["units", "duty", "NOPE", "officer1"])
    assert result.exit_code == 1 and "no command unit 'NOPE'" in result.output
