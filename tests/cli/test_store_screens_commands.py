"""`vigil clusters clearance --store`, `vigil cusum --store` and `vigil rates` at the command
line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import make_user
from tests.services.test_rate_alerts import analyst, low_threshold  # noqa: F401
from tests.store_screens import RATES_ON, clearance_store, rates_store
from vigil import services
from vigil.cli.app import app
from vigil.domain import UserRole
from vigil.records import models as m

runner = CliRunner()


def test_clearance_on_the_store_gives_the_hand_counted_groups(officer, sergeant):
    clearance_store(officer)
    result = runner.invoke(app, ["clusters", "clearance", "--store", "--as", "sergeant1", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [
        (g["unit"], g["sex"], g["mechanism"], g["victims"], g["unsolved"]) for g in found["groups"]
    ] == [
        ("EA", "male", "drug toxicity", 4, 3),
        ("EA", "female", "drug toxicity", 2, 2),
        ("WA", "male", "not recorded", 2, 2),
    ]
    assert found["left_out"] == {"no_crime": 1, "not_recorded": 1}
    women = runner.invoke(
        app, ["clusters", "clearance", "--store", "--sex", "female", "--as", "sergeant1"]
    )
    assert women.exit_code == 0 and "1 groups of the store's deaths" in women.stdout
    assert "1 where the investigation found no crime" not in women.output  # men left out


def test_clearance_on_the_store_refuses_what_it_cannot_do(officer, tmp_path):
    clearance_store(officer)
    refused = runner.invoke(app, ["clusters", "clearance", "--store", "--as", "officer1"])
    assert refused.exit_code == 1 and "Refused" in refused.output
    assert "may not see the consistency dashboard" in refused.output
    neither = runner.invoke(app, ["clusters", "clearance"])
    assert neither.exit_code == 1 and "give a file of SHR records or --store" in neither.output
    geo = runner.invoke(app, ["clusters", "clearance", "--store", "--geo", "msa"])
    assert geo.exit_code == 1 and "--geo" in geo.output


def test_cusum_on_the_store_raises_each_signal_once(officer, analyst, low_threshold):  # noqa: F811
    rates_store(officer)
    args = ["cusum", "--store", "--at", "2025-06-30", "--as", "analyst1", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    by_kind = {s["kind"]: s for s in json.loads(first.stdout)}
    assert len(by_kind["certifier"]["alerts"]) == 1 and by_kind["certifier"]["charted"] == 3
    again = runner.invoke(app, args[:-1])
    assert again.exit_code == 0 and "0 new rate alerts" in again.output
    assert m.RateAlert.objects.count() == 2


def test_cusum_on_the_store_refuses_a_bad_day_or_file_options(officer, analyst):  # noqa: F811
    bad = runner.invoke(app, ["cusum", "--store", "--at", "30/06/2025", "--as", "analyst1"])
    assert bad.exit_code == 1 and "--at" in bad.output and "2026-05-31" in bad.output
    mixed = runner.invoke(app, ["cusum", "--store", "--threshold", "3"])
    assert mixed.exit_code == 1 and "VIGIL_CUSUM_THRESHOLD" in mixed.output
    officer_run = runner.invoke(app, ["cusum", "--store", "--as", "officer1"])
    assert officer_run.exit_code == 1 and "Refused" in officer_run.output
    assert not m.RateAlert.objects.exists()


def test_rate_alerts_listed_opened_and_answered(officer, analyst, low_threshold):  # noqa: F811
    rates_store(officer)
    services.screen_rates(analyst, on=RATES_ON)
    alert = m.RateAlert.objects.get(kind="certifier")
    hidden = sorted(alert.members.values_list("case__reference", flat=True))[0]
    services.restrict_case(make_user("keeper1", UserRole.REVIEWING_OFFICER), hidden, ["analyst1"])
    listed = runner.invoke(app, ["rates", "alerts", "--as", "analyst1", "--json"])
    assert listed.exit_code == 0, listed.output
    assert {a["kind"] for a in json.loads(listed.stdout)} == {"certifier", "institution"}
    shown = runner.invoke(app, ["rates", "show", str(alert.pk), "--as", "analyst1"])
    assert shown.exit_code == 0 and "Dr A Able (GMC 1000001)" in shown.stdout
    assert hidden in shown.stdout and "Not answered yet." in shown.stdout
    make_user("analyst2", UserRole.ANALYST)
    other = runner.invoke(app, ["rates", "show", str(alert.pk), "--as", "analyst2", "--json"])
    assert other.exit_code == 0 and hidden not in json.loads(other.stdout)["cases"]
    assert hidden not in other.stdout
    blank = ["rates", "judge", str(alert.pk), "--verdict", "concern", "--reason", " "]
    refused = runner.invoke(app, [*blank, "--as", "analyst1"])
    assert refused.exit_code == 1 and "reason" in refused.output
    assert not m.RateJudgement.objects.exists()
    answer = ["rates", "judge", str(alert.pk), "--verdict", "concern", "--reason", "Ask the GMC."]
    done = runner.invoke(app, [*answer, "--as", "analyst1"])
    assert done.exit_code == 0 and "concern" in done.stdout
    answered = runner.invoke(app, ["rates", "alerts", "--status", "answered", "--as", "analyst1"])
    assert answered.exit_code == 0 and "1 rate alerts" in answered.stdout
    officer_run = runner.invoke(app, ["rates", "alerts", "--as", "officer1"])
    assert officer_run.exit_code == 1 and "Refused" in officer_run.output
    nothing = runner.invoke(app, ["rates", "show", "987654", "--as", "analyst1"])
    assert nothing.exit_code == 1 and "no rate alert 987654" in nothing.output
    wrong = runner.invoke(app, ["rates", "alerts", "--status", "late", "--as", "analyst1"])
    assert wrong.exit_code == 1 and "status" in wrong.output
