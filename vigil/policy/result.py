"""What evaluating a case against a pack gives: the floor, the category, the unmet items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from vigil.domain.enums import Category, UserRole


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class FloorReason(_Result):
    """A floor rule that fired: ``reason`` is the pack's words, ``evidence`` this case's facts."""

    rule_id: str
    category: Category
    reason: str
    evidence: str


class UnmetItem(_Result):
    """A checklist procedure this case has not met. ``rule`` says why the procedure exists,
    ``reason`` why this case fails it; ``subject`` is the person or item it is about."""

    rule_id: str
    title: str
    rule: str
    reason: str
    owner_role: UserRole
    deadline: datetime | None
    subject: str | None
    overdue: bool


class Evaluation(_Result):
    pack_name: str
    pack_version: str
    case_reference: str
    evaluated_at: datetime
    floor: Category
    floor_reasons: tuple[FloorReason, ...]
    category: Category
    category_rationale: str
    presumed: bool  # no decision is recorded: the category is the pack's presumption
    decided_by: str | None
    decided_at: datetime | None
    override_by: str | None
    override_reason: str | None
    below_floor: bool
    needs_override: bool
    unmet: tuple[UnmetItem, ...]

    @property
    def overdue(self) -> tuple[UnmetItem, ...]:
        return tuple(item for item in self.unmet if item.overdue)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (ISO date-times, category and role names)."""
        return self.model_dump(mode="json")
