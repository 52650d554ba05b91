"""Liaison, exhibits and custody, actions, referrals and category decisions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from vigil.domain import limits
from vigil.domain.base import Value, When
from vigil.domain.enums import (
    ActionState,
    Category,
    CustodyEventKind,
    ExhibitKind,
    LiaisonMethod,
    ReferralState,
)


class Concern(Value):
    """A worry raised by family or friends. A concern without an answer is an unmet item."""

    text: str = Field(min_length=1, max_length=limits.NOTE)
    answer: str | None = Field(default=None, max_length=limits.NOTE)
    answered_by: str | None = Field(default=None, max_length=limits.USERNAME)
    answered_at: When | None = None

    @property
    def answered(self) -> bool:
        return bool(self.answer)


class LiaisonEntry(Value):
    person_ref: str = Field(min_length=1, max_length=limits.PERSON_REF)
    at: When
    method: LiaisonMethod
    officer: str = Field(min_length=1, max_length=limits.USERNAME)
    summary: str = Field(min_length=1, max_length=limits.NARRATIVE, description="What they said.")
    concerns: tuple[Concern, ...] = ()


class CustodyEvent(Value):
    kind: CustodyEventKind
    at: When
    from_holder: str = Field(min_length=1, max_length=limits.HOLDER)
    to_holder: str = Field(min_length=1, max_length=limits.HOLDER)
    by: str = Field(min_length=1, max_length=limits.USERNAME)
    examinations: tuple[Annotated[str, Field(max_length=limits.LINE)], ...] = Field(
        default=(), description="With sent_for_examination: e.g. handwriting, fingerprints, DNA."
    )
    notes: str | None = Field(default=None, max_length=limits.NOTE)
    prev_hash: str = Field(default="", max_length=limits.HASH)
    hash: str = Field(default="", max_length=limits.HASH)


class Exhibit(Value):
    ref: str = Field(min_length=1, max_length=limits.ITEM_REF)
    description: str = Field(min_length=1, max_length=limits.NOTE)
    kind: ExhibitKind = ExhibitKind.OTHER
    where_found: str | None = Field(default=None, max_length=limits.LINE)
    packaging: str | None = Field(default=None, max_length=limits.PACKAGING)
    seal_number: str | None = Field(default=None, max_length=limits.SEAL_NUMBER)
    custody: tuple[CustodyEvent, ...] = ()

    def examined_for(self, examination: str) -> bool:
        return any(
            e.kind is CustodyEventKind.SENT_FOR_EXAMINATION and examination in e.examinations
            for e in self.custody
        )

    @property
    def seized(self) -> bool:
        return any(e.kind is CustodyEventKind.SEIZED for e in self.custody)


class ActionStep(Value):
    state: ActionState
    at: When
    by: str = Field(min_length=1, max_length=limits.USERNAME)
    note: str | None = Field(default=None, max_length=limits.NOTE)


RESTRICTED_LINK = "restricted_link"
"""The kind of the action the linkage engine raises on a death linked to a record its analyst
may not see (``vigil.services.linkage.notices``): a notice that holds nothing of the record,
answered with what its holders said may be shared. Only the linkage engine raises one."""


class Action(Value):
    """A task. ``kind`` names what it is for (the policy pack's action kinds), ``subject`` the
    person it concerns, if any."""

    ref: str = Field(min_length=1, max_length=limits.ITEM_REF)
    kind: str = Field(min_length=1, max_length=limits.ACTION_KIND)
    title: str = Field(min_length=1, max_length=limits.ACTION_TITLE)
    subject: str | None = Field(
        default=None, max_length=limits.PERSON_REF, description="ref of the person it concerns"
    )
    owner: str | None = Field(default=None, max_length=limits.USERNAME)
    deadline: When | None = None
    result: str | None = Field(default=None, max_length=limits.NOTE)
    history: tuple[ActionStep, ...] = Field(min_length=1)

    @property
    def state(self) -> ActionState:
        return self.history[-1].state


class Referral(Value):
    ref: str = Field(min_length=1, max_length=limits.ITEM_REF)
    to_team: str = Field(min_length=1, max_length=limits.TEAM)
    made_at: When
    made_by: str = Field(min_length=1, max_length=limits.USERNAME)
    reason: str = Field(min_length=1, max_length=limits.NOTE)
    state: ReferralState = ReferralState.PENDING
    answered_by: str | None = Field(default=None, max_length=limits.USERNAME)
    answered_at: When | None = None
    answer_reason: str | None = Field(default=None, max_length=limits.NOTE)

    @model_validator(mode="after")
    def _answer_complete(self) -> Referral:
        if self.state is not ReferralState.PENDING and not (
            self.answered_by and self.answered_at and self.answer_reason
        ):
            raise ValueError(
                "an accepted or declined referral needs answered_by, answered_at and answer_reason"
            )
        return self


class CategoryDecision(Value):
    category: Category
    rationale: str = Field(min_length=1, max_length=limits.NOTE)
    decided_by: str = Field(min_length=1, max_length=limits.USERNAME)
    decided_at: When
    override_by: str | None = Field(
        default=None,
        max_length=limits.USERNAME,
        description="Supervisor who signed off a category below the floor.",
    )
    override_reason: str | None = Field(default=None, max_length=limits.NOTE)
