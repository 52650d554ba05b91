"""`vigil import FILE`: a file is read as bytes and each line decoded on its own, so a line that
is not UTF-8, nested too deep, too long or not JSON is refused with its number and reason, and
every good line is kept; nothing ends in a traceback."""

from __future__ import annotations

import io

import pytest
from typer.testing import CliRunner

from tests.conftest import SYSTEM, suspicious_report
from vigil.cli.app import app
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.services.interchange import importing

runner = CliRunner()


def good(reference: str) -> bytes:
    return CaseRecord(reference=reference, report=suspicious_report()).model_dump_json().encode()


BAD_LINES = [
    # (the line, the words of its refusal)
    (b'{"reference": "BAD-1", "report": {"circumstances": "caf\xe9"}}', "not valid UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels deep"),
    (b'{"reference": "BAD-3", "x": ' + b"[" * 40 + b"]" * 40 + b"}", "nested more than 32"),
    (b'{"reference": "BAD-4", "report": {"deceased": {"age": ' + b"9" * 5000 + b"}}}", "JSON"),
    (b'{"reference": "BAD-5", ', "not valid JSON"),
]


def test_every_bad_line_is_refused_by_number_and_the_good_lines_are_kept(db, tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [good("G-1")]
    for line, _ in BAD_LINES:
        lines += [line]
    lines += [good("G-2"), b"", good("G-3")]
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(app, ["import", str(path), "--no-link"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1
    assert "3 created" in result.stdout and f"{len(BAD_LINES)} refused" in result.stdout
    output = " ".join(result.output.split())
    for number, (_, words) in enumerate(BAD_LINES, start=2):
        assert f"line {number}" in output and words in output, (number, words)
    assert sorted(m.Case.objects.values_list("reference", flat=True)) == ["G-1", "G-2", "G-3"]


def test_a_byte_order_mark_and_windows_line_ends_are_read(db, tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good("W-1") + b"\r\n" + good("W-2") + b"\r\n")
    result = runner.invoke(app, ["import", str(path), "--no-link"])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.stdout


def test_a_line_too_long_is_refused_unread_and_the_next_line_kept(db, monkeypatch):
    monkeypatch.setattr(importing, "MAX_LINE_BYTES", 1000)
    long = b'{"reference": "LONG-1", "report": {"circumstances": "' + b"x" * 5000 + b'"}}'
    stream = io.BytesIO(long + b"\n" + b'{"reference": "S-1"}\n')
    lines = list(importing.read_lines(stream, limit=1000))
    assert len(lines) == 2 and len(lines[0]) == 1001 and lines[1].startswith(b'{"')
    report = importing.import_lines(SYSTEM, lines, link=False)
    assert report.created == 1
    [error] = report.errors
    assert (error.line, error.field) == (1, "(line)")
    assert "longer than 1,000 bytes" in error.reason


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b'{"reference": "U-1"}\xff', "byte 0xff at byte 21"),
        (b"\xc3", "byte 0xc3 at byte 1"),
    ],
)
def test_the_reason_names_the_bad_byte(line, words):
    error = importing.parse_line(7, line)
    assert isinstance(error, importing.LineError)
    assert error.line == 7 and words in error.reason and "UTF-8" in error.reason
