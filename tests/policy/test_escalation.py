"""Escalation: the step an overdue item has reached, at frozen times, and the pack's chain
refused with the file and key when it is broken."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from vigil.policy import PolicyError, default_pack, load_pack
from vigil.policy.durations import format_duration, parse_delay
from vigil.policy.escalation import EscalationStep, escalation_step
from vigil.policy.wording import escalation_target

from .factories import T0, hours
from .test_loader import HEADER, write_pack

DEADLINE = T0 + hours(24)
CHAIN = (
    EscalationStep(after=timedelta(0), to="owner"),
    EscalationStep(after=hours(24), to="owner_supervisor"),
    EscalationStep(after=hours(72), to="unit_duty_inspector"),
)

# (case id, now, whom the due step reaches or None)
DUE: list[tuple[str, datetime, str | None]] = [
    ("well before the deadline", DEADLINE - hours(5), None),
    ("at the very deadline: not yet overdue", DEADLINE, None),
    ("a minute past the deadline", DEADLINE + timedelta(minutes=1), "owner"),
    ("23 hours past", DEADLINE + hours(23), "owner"),
    ("exactly 24 hours past: the supervisor's step has not passed", DEADLINE + hours(24), "owner"),
    ("just over 24 hours past", DEADLINE + hours(24) + timedelta(seconds=1), "owner_supervisor"),
    ("two days past", DEADLINE + hours(48), "owner_supervisor"),
    ("three days and an hour past", DEADLINE + hours(73), "unit_duty_inspector"),
    ("a month past: the last step stays due", DEADLINE + hours(24 * 30), "unit_duty_inspector"),
]


@pytest.mark.parametrize(("now", "to"), [d[1:] for d in DUE], ids=[d[0] for d in DUE])
def test_the_step_due_climbs_with_time(now: datetime, to: str | None) -> None:
    step = escalation_step(DEADLINE, now, CHAIN)
    assert (step.to if step else None) == to


def test_default_pack_chain_is_owner_supervisor_then_duty_inspector() -> None:
    chain = default_pack().escalation
    assert [(s.after, s.to) for s in chain] == [(s.after, s.to) for s in CHAIN]
    step = escalation_step(DEADLINE, DEADLINE + hours(30), chain)
    assert step is not None and escalation_target(step.to) == "the owner's supervisor"


def test_no_deadline_or_no_chain_means_no_step() -> None:
    assert escalation_step(None, DEADLINE + hours(100), CHAIN) is None
    assert escalation_step(DEADLINE, DEADLINE + hours(100), ()) is None


def test_times_without_a_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        escalation_step(DEADLINE, datetime(2015, 6, 22, 8, 0), CHAIN)
    with pytest.raises(ValueError, match="time zone"):
        escalation_step(datetime(2015, 6, 20, 8, 0), DEADLINE, CHAIN)


def test_a_step_may_fall_at_the_deadline_itself() -> None:
    assert parse_delay("0h") == timedelta(0)
    assert format_duration(timedelta(0)) == "0h"
    with pytest.raises(ValueError, match="'-1h' is not a duration like 0h, 24h or 7d"):
        parse_delay("-1h")


def test_every_target_reads_as_words() -> None:
    words = {
        to: escalation_target(to) for to in ("owner", "owner_supervisor", "unit_duty_inspector")
    }
    assert words == {
        "owner": "the item's owner",
        "owner_supervisor": "the owner's supervisor",
        "unit_duty_inspector": "the unit's duty inspector",
    }


def test_a_pack_without_escalation_escalates_nothing(tmp_path: Path) -> None:
    assert load_pack(write_pack(tmp_path, {"pack.yaml": HEADER})).escalation == ()


# (case id, escalation: as written in pack.yaml, key at fault, words of the reason)
BROKEN: list[tuple[str, str, str, str]] = [
    ("someone outside the vocabulary", "[{after: 24h, to: chief_constable}]", "escalation[0].to",
     "'chief_constable' is not one of 'owner', 'owner_supervisor' or 'unit_duty_inspector'"),
    ("a bad duration", "[{after: 0h, to: owner}, {after: 1 day, to: owner_supervisor}]",
     "escalation[1].after", "'1 day' is not a duration like 0h, 24h or 7d"),
    ("no one to reach", "[{after: 24h}]", "escalation[0].to", "required key is missing"),
    ("an unknown key", "[{after: 24h, to: owner, by: email}]", "escalation[0].by", "unknown key"),
    ("out of order",
     "[{after: 0h, to: owner}, {after: 72h, to: unit_duty_inspector}, "
     "{after: 24h, to: owner_supervisor}]",
     "escalation[2].after", "1d is not later than the step before it (3d)"),
    ("two steps at once", "[{after: 24h, to: owner}, {after: 1d, to: owner_supervisor}]",
     "escalation[1].after", "1d is not later than the step before it (1d)"),
    ("not a list", "owner", "escalation", "should be a list"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("chain", "key", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_chain_names_pack_yaml_and_the_key(
    tmp_path: Path, chain: str, key: str, reason: str
) -> None:
    folder = write_pack(tmp_path, {"pack.yaml": f"{HEADER}escalation: {chain}\n"})
    with pytest.raises(PolicyError) as caught:
        load_pack(folder)
    assert (caught.value.file, caught.value.key) == ("trial/pack.yaml", key)
    assert reason in caught.value.reason


def test_the_chain_belongs_in_pack_yaml(tmp_path: Path) -> None:
    files = {"pack.yaml": HEADER, "rules.yaml": "escalation: [{after: 0h, to: owner}]\n"}
    with pytest.raises(PolicyError) as caught:
        load_pack(write_pack(tmp_path, files))
    assert (caught.value.file, caught.value.key) == ("trial/rules.yaml", "escalation")
    assert "belongs in pack.yaml" in caught.value.reason
