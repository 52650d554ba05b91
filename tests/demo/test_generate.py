"""The generator: determinism, valid JSON Lines that round-trip, references and times."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import UTC, date, datetime

import pytest

from vigil.demo import generate, to_line, write_jsonl
from vigil.domain.enums import IdentifierKind
from vigil.interchange.record import REFERENCE_PATTERN, CaseRecord


def _lines(count: int, seed: int) -> str:
    out = io.StringIO()
    write_jsonl(generate(count, seed=seed), out)
    return out.getvalue()


def test_same_seed_gives_byte_identical_output() -> None:
    assert _lines(150, seed=3) == _lines(150, seed=3)


def test_different_seeds_give_different_output() -> None:
    assert _lines(150, seed=3) != _lines(150, seed=4)


def test_a_prefix_of_a_run_does_not_depend_on_what_is_consumed_later() -> None:
    first = [to_line(r) for r in generate(30, seed=5)]
    again = [to_line(r) for _, r in zip(range(30), generate(30, seed=5), strict=False)]
    assert first == again


def test_write_jsonl_returns_the_count_and_writes_one_line_each() -> None:
    out = io.StringIO()
    assert write_jsonl(generate(25, seed=1), out) == 25
    assert out.getvalue().count("\n") == 25
    assert out.getvalue().endswith("\n")


def test_every_line_validates_and_round_trips(records: list[CaseRecord]) -> None:
    out = io.StringIO()
    write_jsonl(records, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(records)
    for line, record in zip(lines, records, strict=True):
        loaded = CaseRecord.model_validate_json(line)
        assert loaded == record
        assert to_line(loaded) == line


def test_lines_name_their_format(records: list[CaseRecord]) -> None:
    assert all('"format":"vigil.case/1"' in to_line(r) for r in records[:50])


def test_references_are_unique_and_valid(records: list[CaseRecord]) -> None:
    references = [r.reference for r in records]
    assert len(set(references)) == len(references)
    pattern = re.compile(REFERENCE_PATTERN)
    assert all(pattern.match(ref) for ref in references)
    assert all(re.fullmatch(r"DEMO-S7-20\d\d-\d{6}", ref) for ref in references)


def test_seeds_never_share_references() -> None:
    default = {r.reference for r in generate(20)}
    assert all(re.fullmatch(r"DEMO-20\d\d-\d{6}", ref) for ref in default)
    assert not default & {r.reference for r in generate(20, seed=1)}


def test_cases_fall_in_the_window_in_time_order(records: list[CaseRecord]) -> None:
    reported = [r.report.reported_at for r in records]
    assert all(at is not None for at in reported)
    assert reported == sorted(reported)  # type: ignore[type-var]
    assert reported[0] >= datetime(2014, 1, 1, tzinfo=UTC)  # type: ignore[operator]
    assert reported[-1] < datetime(2016, 1, 1, tzinfo=UTC)  # type: ignore[operator]


def test_window_is_configurable() -> None:
    records = list(generate(40, seed=2, start=date(2020, 3, 1), days=10))
    assert all(r.report.reported_at is not None for r in records)
    for r in records:
        assert r.report.reported_at is not None
        assert datetime(2020, 3, 1, tzinfo=UTC) <= r.report.reported_at
        assert r.report.reported_at < datetime(2020, 3, 11, tzinfo=UTC)
    assert records[0].reference.startswith("DEMO-S2-2020-")


def test_known_at_is_reported_at_and_updates_come_later(records: list[CaseRecord]) -> None:
    with_updates = 0
    for record in records:
        assert record.known_at == record.report.reported_at
        assert record.known_at is not None and record.known_at.tzinfo is not None
        assert record.recorded_by
        for update in record.updates:
            assert update.known_at > record.known_at
            with_updates += 1
        times = [u.known_at for u in record.updates]
        assert times == sorted(times)
    assert with_updates > len(records) // 10


def test_found_before_reported_and_attended_after(records: list[CaseRecord]) -> None:
    for record in records:
        report = record.report
        assert report.found_at is not None and report.reported_at is not None
        assert report.found_at <= report.reported_at
        arrived = report.attendance.arrived_at
        assert arrived is not None and arrived >= report.reported_at


def test_every_case_has_between_one_and_five_people(records: list[CaseRecord]) -> None:
    for record in records:
        assert 1 <= len(record.persons) <= 5, record.reference
        refs = [p.ref for p in record.persons]
        assert len(set(refs)) == len(refs), record.reference


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        list(generate(-1))
    with pytest.raises(ValueError):
        list(generate(1, days=0))


def test_nothing_for_zero() -> None:
    assert list(generate(0)) == []


def test_ten_thousand_records_complete() -> None:
    count = 0
    ghb = 0
    owners: dict[str, set[str]] = defaultdict(set)
    for record in generate(10_000, seed=11):
        count += 1
        reports = (record.report, *(u.report for u in record.updates))
        ghb += any("ghb" in r.toxicology.substances for r in reports)
        for person in record.persons:
            for identifier in person.identifiers:
                if identifier.kind is IdentifierKind.PHONE:
                    owners[identifier.normalised].add(person.ref)
    assert count == 10_000
    # GHB is rare: about one death in 300-400 (expected ~30 here).
    assert 15 <= ghb <= 50
    # The 2,000 safe numbers run short on big runs: fewer people get one, none share one.
    assert len(owners) > 1000
    assert all(len(refs) == 1 for refs in owners.values())
