from typer.testing import CliRunner

from tests.services.test_replay import planted
from vigil.cli.app import app
from vigil.demo.generate import generate
from vigil.linkage.model import load

runner = CliRunner()


def test_model_train_learns_from_a_labelled_file(db, tmp_path):
    lines = [r.model_dump_json(exclude={"decisions"}) for r in generate(120, seed=4)]
    lines += [planted(i).model_dump_json() for i in range(4)]
    labelled = tmp_path / "solved.jsonl"
    labelled.write_text("\n".join(lines) + "\n")
    out = tmp_path / "model.json"
    result = runner.invoke(app, ["model", "train", "--labels", str(labelled), "--out", str(out)])
    assert result.exit_code == 0, result.output
    trained = load(out)
    assert trained.version.startswith("vigil-linkage-model/")
    assert trained.training["labelled_pairs"] == 6  # the 4 planted cases of one series
    assert "6 labelled pairs" in trained.training["m"]


def test_model_train_refuses_a_bad_file(db, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reference": "X-1", "report": {"scene": {"phone": "lost"}}}\n')
    result = runner.invoke(app, ["model", "train", "--labels", str(bad)])
    assert result.exit_code == 1 and "line 1" in result.output
