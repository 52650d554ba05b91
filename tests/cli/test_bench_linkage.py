from typer.testing import CliRunner

from vigil.cli.app import app

runner = CliRunner()


def test_bench_linkage_refuses_an_unknown_category():
    result = runner.invoke(app, ["bench", "linkage", "--cases", "100", "--category", "odd"])
    assert result.exit_code == 2
    assert "--category" in result.output and "'odd' is not a category" in result.output
