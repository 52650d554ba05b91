"""Escalation: whom an overdue checklist item reaches, and when.

A pack's ``escalation:`` is a chain of steps, each due some time ``after`` the item's deadline
and addressed ``to`` someone named by their place in the chain of command, never by name (the
service that sends the alert finds the person). In Barking a referral to the murder team went
unanswered and nobody above its owner ever knew: the chain makes an overdue item climb until
someone answers for it.

Pure: the step due is a function of the deadline and the time, so a replay gives the same
answer as the day itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Literal

from vigil.policy.conditions import Node
from vigil.policy.durations import Delay, format_duration

# Who a step reaches: the item's owner, the owner's supervisor, the duty inspector of the unit
# (borough) that holds the case. A closed vocabulary: a pack that names anyone else is refused.
EscalationTarget = Literal["owner", "owner_supervisor", "unit_duty_inspector"]


class EscalationStep(Node):
    """``{after: 24h, to: owner_supervisor}``: once ``after`` has passed since an unmet item's
    deadline, the item is ``to``'s to answer for."""

    after: Delay
    to: EscalationTarget


def escalation_step(
    deadline: datetime | None, now: datetime, steps: Sequence[EscalationStep]
) -> EscalationStep | None:
    """The step of ``steps`` due at ``now`` for an item whose deadline is ``deadline``: the
    latest one whose time (the deadline plus its ``after``) has passed, or None if none has
    (nor ever will, without a deadline). "Passed" is strict, as an item is overdue only once
    its deadline has passed: at the very deadline, no step is due yet.

    ``steps`` are in the pack's order, each later than the one before (the loader checks).
    Both times need a time zone."""
    if now.tzinfo is None or (deadline is not None and deadline.tzinfo is None):
        raise ValueError("escalation times need a time zone (for example datetime.now(UTC))")
    if deadline is None:
        return None
    due = [step for step in steps if deadline + step.after < now]
    return due[-1] if due else None


def order_problems(steps: Sequence[EscalationStep]) -> Iterator[tuple[str, str]]:
    """(key, reason) for each step that is not later than the one before it: a chain climbs,
    and two steps due at once would leave it unclear whose the item is."""
    before: timedelta | None = None
    for i, step in enumerate(steps):
        if before is not None and step.after <= before:
            yield (
                f"escalation[{i}].after",
                f"{format_duration(step.after)} is not later than the step before it "
                f"({format_duration(before)}); list the steps in the order they fall due",
            )
        before = step.after
