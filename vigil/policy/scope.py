"""What a condition is evaluated against, and what it answers: a verdict with its reason."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.domain.case import CaseView
from vigil.domain.enums import Category, Role, UserRole
from vigil.domain.people import PersonEntry
from vigil.policy.wording import vocabulary


@dataclass(frozen=True, slots=True)
class Outcome:
    """A condition's verdict. ``why`` states the facts it rests on, in words, and stays true
    when the verdict is negated ('scene.phone is missing' explains both a match and a miss)."""

    ok: bool
    why: str


@dataclass(frozen=True, slots=True)
class ForEachItem:
    """The item a ``for_each`` checklist rule is looking at."""

    list_name: str
    item: Any
    ref: str | None
    label: str


@dataclass(frozen=True)
class Scope:
    case: CaseView
    now: datetime
    facts: Mapping[str, Any]
    floor: Category | None = None  # None while the floor itself is being computed
    category: Category | None = None  # max(current category, floor)
    each: ForEachItem | None = None
    signoff_roles: frozenset[UserRole] = frozenset()  # the pack's: whose decision counts
    signoff_below_floor_only: bool = False  # the pack's signoff_required is below_floor
    family_roles: frozenset[Role] = frozenset()  # the pack's family_relationships
    # The decision's override predates the confirmation of the series that raised the floor.
    override_before_series: bool = False

    def with_each(self, each: ForEachItem) -> Scope:
        return dataclasses.replace(self, each=each)

    def person(self, ref: str) -> PersonEntry | None:
        return next((p for p in self.case.persons if p.ref == ref), None)

    def is_family(self, ref: str) -> bool:
        """The person is family, as the pack's ``family_relationships`` define it."""
        person = self.person(ref)
        return person is not None and not self.family_roles.isdisjoint(person.roles)

    def person_label(self, ref: str | None) -> str:
        """``'Sam Testperson' (caller, friend)``; the bare ref if no such person is recorded."""
        if ref is None:
            return "no one"
        person = self.person(ref)
        if person is None:
            return quote(ref)
        roles = ", ".join(vocabulary(role) for role in person.roles)
        return f"{quote(person.name or ref)} ({roles})"


def quote(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    return f"'{value}'"


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def join_words(words: Iterable[str], joiner: str = "or", limit: int = 6) -> str:
    """``a, b or c``; long lists end ``or 4 more``."""
    shown = list(words)
    if len(shown) > limit:
        return f"{', '.join(shown[:limit])} {joiner} {len(shown) - limit} more"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} {joiner} {shown[-1]}"


def listing(values: Iterable[object], joiner: str = "or", limit: int = 6) -> str:
    """``'a', 'b' or 'c'``."""
    return join_words((quote(v) for v in values), joiner, limit)


def show(value: Any) -> str:
    """A fact value in words: lists quoted in full, records counted, None 'not recorded'."""
    if value is None:
        return "not recorded"
    if isinstance(value, list | tuple):
        if not value:
            return "empty"
        if all(isinstance(v, Mapping) for v in value):
            return f"{len(value)} recorded"
        return listing(value, "and", limit=10)
    return quote(value)


def recorded(value: Any) -> bool:
    """Whether a fact holds something: None, '' and [] hold nothing."""
    return value is not None and value != "" and value != [] and value != ()
