"""Accounts, authenticators and restricted cases at the command line."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.cli.app import app
from vigil.demo import DEMO_USERS
from vigil.records import models as m

runner = CliRunner()


def test_user_create_enrols_an_authenticator_and_prints_its_uri(db):
    result = runner.invoke(
        app,
        ["user", "create", "pc1", "--role", "response_officer"],
        input="a-long-test-password-1\na-long-test-password-1\n",
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"otpauth://totp/Vigil%3Apc1\?secret=[A-Z2-7]+", result.output)
    again = runner.invoke(app, ["user", "totp", "pc1"])
    assert again.exit_code == 0 and "otpauth://totp/" in again.output


def test_roles_and_deactivation(officer):
    assert runner.invoke(app, ["user", "role", "officer1", "--role", "analyst"]).exit_code == 0
    assert services.actor_for("officer1").role.value == "analyst"
    assert runner.invoke(app, ["user", "deactivate", "officer1"]).exit_code == 0
    refused = runner.invoke(app, ["case", "show", "X", "--as", "officer1"])
    assert refused.exit_code == 1 and "no active Vigil user" in refused.output
    assert runner.invoke(app, ["user", "reactivate", "officer1"]).exit_code == 0


def test_a_user_without_manage_users_cannot_manage_users(officer):
    result = runner.invoke(app, ["user", "totp", "officer1", "--as", "officer1"])
    assert result.exit_code == 1 and "may not manage users" in result.output


def test_restricting_naming_and_unnaming_at_the_command_line(officer, sergeant):
    services.open_case(officer, "R-1", suspicious_report(), known_at=T0)
    done = runner.invoke(
        app, ["case", "restrict", "R-1", "--name", "officer1", "--as", "sergeant1"]
    )
    assert done.exit_code == 0 and "officer1, sergeant1" in done.output
    assert m.Case.objects.get(reference="R-1").restricted
    assert runner.invoke(app, ["case", "show", "R-1", "--as", "officer1"]).exit_code == 0
    gone = runner.invoke(app, ["case", "unname", "R-1", "officer1", "--as", "sergeant1"])
    assert gone.exit_code == 0
    hidden = runner.invoke(app, ["case", "show", "R-1", "--as", "officer1"])
    assert hidden.exit_code == 1 and "there is no case 'R-1'" in hidden.output
    # the operator at the shell acts as an administrator, who is not exempt
    assert runner.invoke(app, ["case", "show", "R-1"]).exit_code == 1
    assert runner.invoke(app, ["case", "unrestrict", "R-1", "--as", "sergeant1"]).exit_code == 0
    assert runner.invoke(app, ["case", "show", "R-1", "--as", "officer1"]).exit_code == 0


def test_the_demo_prints_each_users_password_and_totp_secret(db):
    result = runner.invoke(app, ["demo", "--cases", "0", "--no-serve"])
    assert result.exit_code == 0, result.output
    for username, _, _ in DEMO_USERS:
        assert re.search(rf"{username}: otpauth://totp/Vigil%3A{username}\?secret=", result.output)
    assert "TOTP secret" in result.output
