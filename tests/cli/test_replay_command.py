"""`vigil replay FILE`: the table of true series, and under it what an analyst who knew the
series would have seen (the judged replay)."""

import json

from typer.testing import CliRunner

from tests.services.test_replay import planted
from vigil.cli.app import app
from vigil.demo.generate import generate

runner = CliRunner()


def _file(tmp_path):
    lines = [r.model_dump_json(exclude={"decisions"}) for r in generate(60, seed=9)]
    lines += [planted(i).model_dump_json() for i in range(4)]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_replay_prints_the_judged_replay_under_its_table(db, tmp_path):
    result = runner.invoke(app, ["replay", str(_file(tmp_path))])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "churchyard" in said
    assert "judged as an analyst who knew the series would: churchyard joined 20" in said


def test_replay_json_has_the_judged_part(db, tmp_path):
    result = runner.invoke(app, ["replay", str(_file(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    judged = report["judged"]
    assert judged["series"]["churchyard"]["joined"] is True
    assert set(judged["alerts"]) == {"pair", "cluster", "footprint"}
