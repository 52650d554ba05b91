from __future__ import annotations

from datetime import date

import pytest

from vigil.demo import generate, to_line
from vigil.demo.__main__ import main
from vigil.interchange.record import CaseRecord


def test_main_writes_the_same_lines_as_generate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["5", "--seed", "9", "--start", "2015-02-01", "--days", "30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [to_line(r) for r in generate(5, 9, date(2015, 2, 1), 30)]
    assert all(CaseRecord.model_validate_json(line) for line in lines)
