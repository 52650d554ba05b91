"""The kinds of record (vigil.domain.kinds): which sections each holds, the words that refuse a
section of another kind, and the report's own rules said in each kind's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigil.domain import kinds
from vigil.domain.enums import RecordKind
from vigil.domain.report import DeathReport, change_problems, problems

NOW = datetime(2015, 8, 1, tzinfo=UTC)


def test_every_section_of_the_report_belongs_to_some_kind_and_every_kind_has_the_basics():
    held = set().union(*kinds.SECTIONS.values())
    assert held == set(DeathReport.model_fields)
    for kind in RecordKind:
        assert {"kind", "reported_at", "found_at", "location", "deceased"} <= kinds.SECTIONS[kind]
    assert "drugging" not in kinds.SECTIONS[RecordKind.DEATH]
    assert "scene" not in kinds.SECTIONS[RecordKind.DRUGGING]


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("death", "a death"),
        ("drugging", "a drugging report"),
        ("intelligence", "an intelligence entry"),
    ],
)
def test_each_kind_in_words(kind, words):
    assert kinds.a_kind(kind) == words
    assert kinds.kind_of(kind) is RecordKind(kind)
    assert words in kinds.fixed(RecordKind(kind))


def test_a_record_stored_without_a_kind_is_a_death():
    assert kinds.kind_of("") is RecordKind.DEATH and kinds.kind_of(None) is RecordKind.DEATH


def test_a_section_of_another_kind_is_refused_by_the_reports_rules():
    report = DeathReport.model_validate({"kind": "drugging", "scene": {"phone": "missing"}})
    assert problems(report, NOW) == {"scene": "is not part of a drugging report"}
    assert problems(DeathReport(kind="drugging", drugging={"handle": "@a_b"}), NOW) == {}
    latest = DeathReport(kind="intelligence")
    found = change_problems(latest, DeathReport(), ["toxicology.status", "circumstances"], NOW)
    assert found == {"toxicology.status": "is not part of an intelligence entry"}


def test_a_future_time_is_said_in_the_words_of_the_kind():
    later = NOW + timedelta(days=1)
    death = problems(DeathReport(found_at=later), NOW)
    report = problems(DeathReport(kind="drugging", found_at=later), NOW)
    assert death == {"found_at": "The time the body was found must be in the past"}
    assert report == {"found_at": "The time it happened must be in the past"}
