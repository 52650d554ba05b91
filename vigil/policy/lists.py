"""The lists a case holds (persons, actions, exhibits, ...) and the attributes a pack may test.

``some``, ``every``, ``each`` and ``for_each`` name a list; their ``where`` maps attributes to a
value or a list of values (any of them will do). A flag attribute takes true or false.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

from vigil.domain.enums import (
    ACTION_DONE,
    ActionState,
    CctvStatus,
    DeviceStatus,
    ExhibitKind,
    LiaisonMethod,
    ReferralState,
    Role,
)
from vigil.domain.investigation import Action, Concern, Exhibit, LiaisonEntry, Referral
from vigil.domain.people import PersonEntry
from vigil.domain.report import Cctv, Device
from vigil.policy.scope import Scope, join_words, listing, quote, shorten

ListName = Literal[
    "persons",
    "family",
    "actions",
    "exhibits",
    "liaison",
    "concerns",
    "referrals",
    "devices",
    "cctv",
]
Scalar = bool | int | float | str
Where = Mapping[str, tuple[Scalar, ...]]
EACH = "$each"  # in a where: the ref of the item a for_each rule is looking at

T = TypeVar("T")
_DONE = ACTION_DONE


@dataclass(frozen=True)
class Choice(Generic[T]):
    """An attribute with text values; ``choices`` is its vocabulary (empty: free text)."""

    phrase: str  # how a filter reads: "of kind {}"
    name: str  # how a value reads: "has <name> 'x'"
    values: Callable[[T, Scope], tuple[str, ...]]
    choices: frozenset[str] = frozenset()
    names: bool = False  # its values name someone or something (a ref, a user): shown as given


@dataclass(frozen=True)
class Flag(Generic[T]):
    """A true/false attribute, read as ``is <yes>`` or ``is <no>``."""

    yes: str
    no: str
    test: Callable[[T, Scope], bool]


@dataclass(frozen=True)
class ListSpec(Generic[T]):
    noun: str
    plural: str
    items: Callable[[Scope], Sequence[T]]
    label: Callable[[T, Scope], str]
    ref: Callable[[T], str | None]
    time: Callable[[T], datetime | None]  # the anchor of a per-item deadline
    attrs: Mapping[str, Choice[T] | Flag[T]]
    deadline: Callable[[T], datetime | None] | None = None  # the item's own deadline


def _vocab(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


def _done(action: Action) -> bool:
    return action.state in _DONE


def _overdue(action: Action, scope: Scope) -> bool:
    return action.deadline is not None and action.deadline < scope.now and not _done(action)


def _roles_of(ref: str, scope: Scope) -> tuple[str, ...]:
    person = scope.person(ref)
    return tuple(r.value for r in person.roles) if person else ()


PERSONS: ListSpec[PersonEntry] = ListSpec(
    "person",
    "persons",
    lambda s: s.case.persons,
    lambda p, s: s.person_label(p.ref),
    lambda p: p.ref,
    lambda p: p.known_at,
    {
        "ref": Choice("with ref {}", "ref", lambda p, s: (p.ref,), names=True),
        "roles": Choice(
            "who is {}", "roles", lambda p, s: tuple(r.value for r in p.roles), _vocab(Role)
        ),
    },
)
# The persons the pack counts as family (its family_relationships): whom the family liaison
# officer tells and listens to. Barking's families were partners and friends as much as kin.
FAMILY: ListSpec[PersonEntry] = replace(
    PERSONS,
    noun="family member",
    plural="family members",
    items=lambda s: tuple(p for p in s.case.persons if s.is_family(p.ref)),
)
ACTIONS: ListSpec[Action] = ListSpec(
    "action",
    "actions",
    lambda s: s.case.actions,
    lambda a, s: f"action {a.ref} {quote(shorten(a.title))}",
    lambda a: a.ref,
    lambda a: a.history[0].at,
    {
        "kind": Choice("of kind {}", "kind", lambda a, s: (a.kind,)),
        "subject": Choice(
            "about {}", "subject", lambda a, s: (a.subject,) if a.subject else (), names=True
        ),
        "state": Choice("in state {}", "state", lambda a, s: (a.state.value,), _vocab(ActionState)),
        "owner": Choice(
            "owned by {}", "owner", lambda a, s: (a.owner,) if a.owner else (), names=True
        ),
        "done": Flag("completed", "not completed", lambda a, s: _done(a)),
        "overdue": Flag("overdue", "not overdue", _overdue),
    },
    deadline=lambda a: a.deadline,
)
EXHIBITS: ListSpec[Exhibit] = ListSpec(
    "exhibit",
    "exhibits",
    lambda s: s.case.exhibits,
    lambda e, s: f"exhibit {e.ref} {quote(shorten(e.description))}",
    lambda e: e.ref,
    lambda e: e.custody[0].at if e.custody else None,
    {
        "kind": Choice("of kind {}", "kind", lambda e, s: (e.kind.value,), _vocab(ExhibitKind)),
        "examined_for": Choice(
            "sent for {} examination",
            "examinations",
            lambda e, s: tuple(x for c in e.custody for x in c.examinations),
        ),
        "seized": Flag("seized", "not seized", lambda e, s: e.seized),
    },
)
LIAISON: ListSpec[LiaisonEntry] = ListSpec(
    "liaison entry",
    "liaison entries",
    lambda s: s.case.liaison,
    lambda e, s: f"liaison with {s.person_label(e.person_ref)} on {e.at:%Y-%m-%d %H:%M}",
    lambda e: e.person_ref,
    lambda e: e.at,
    {
        "person": Choice("with {}", "person", lambda e, s: (e.person_ref,), names=True),
        "person_roles": Choice(
            "with a person who is {}",
            "person roles",
            lambda e, s: _roles_of(e.person_ref, s),
            _vocab(Role),
        ),
        "method": Choice("by {}", "method", lambda e, s: (e.method.value,), _vocab(LiaisonMethod)),
        "family": Flag("with family", "not with family", lambda e, s: s.is_family(e.person_ref)),
    },
)
CONCERNS: ListSpec[tuple[LiaisonEntry, Concern]] = ListSpec(
    "concern",
    "concerns",
    lambda s: tuple((e, c) for e in s.case.liaison for c in e.concerns),
    lambda ec, s: (
        f"concern {quote(shorten(ec[1].text))} raised by {s.person_label(ec[0].person_ref)}"
    ),
    lambda ec: ec[0].person_ref,
    lambda ec: ec[0].at,
    {
        "person": Choice("raised by {}", "person", lambda ec, s: (ec[0].person_ref,), names=True),
        "answered": Flag("answered", "not answered", lambda ec, s: ec[1].answered),
        "family": Flag(
            "raised by family", "not raised by family", lambda ec, s: s.is_family(ec[0].person_ref)
        ),
    },
)
REFERRALS: ListSpec[Referral] = ListSpec(
    "referral",
    "referrals",
    lambda s: s.case.referrals,
    lambda r, s: f"referral {r.ref} to {quote(r.to_team)}",
    lambda r: r.ref,
    lambda r: r.made_at,
    {
        "to_team": Choice("to {}", "team", lambda r, s: (r.to_team,)),
        "state": Choice(
            "in state {}", "state", lambda r, s: (r.state.value,), _vocab(ReferralState)
        ),
        "answered": Flag(
            "answered", "not answered", lambda r, s: r.state is not ReferralState.PENDING
        ),
    },
)
DEVICES: ListSpec[Device] = ListSpec(
    "device",
    "devices",
    lambda s: s.case.report.devices,
    lambda d, s: f"device {quote(d.kind)}" + (f" ({d.description})" if d.description else ""),
    lambda d: None,
    lambda d: None,
    {
        "kind": Choice("of kind {}", "kind", lambda d, s: (d.kind,)),
        "owner": Choice(
            "owned by {}", "owner", lambda d, s: (d.owner,) if d.owner else (), names=True
        ),
        "status": Choice(
            "with status {}", "status", lambda d, s: (d.status.value,), _vocab(DeviceStatus)
        ),
    },
)
CCTV: ListSpec[Cctv] = ListSpec(
    "CCTV entry",
    "CCTV entries",
    lambda s: s.case.report.cctv,
    lambda c, s: f"CCTV at {quote(c.location)}",
    lambda c: None,
    lambda c: None,
    {
        "status": Choice(
            "with status {}", "status", lambda c, s: (c.status.value,), _vocab(CctvStatus)
        ),
    },
)

LISTS: Mapping[str, ListSpec[Any]] = {  # keyed by ListName
    "persons": PERSONS,
    "family": FAMILY,
    "actions": ACTIONS,
    "exhibits": EXHIBITS,
    "liaison": LIAISON,
    "concerns": CONCERNS,
    "referrals": REFERRALS,
    "devices": DEVICES,
    "cctv": CCTV,
}


def _wanted(values: tuple[Scalar, ...], scope: Scope) -> frozenset[str]:
    ref = scope.each.ref if scope.each else None
    return frozenset(((ref or "") if v == EACH else str(v)).casefold() for v in values)


def _word(attr: Choice[Any] | Flag[Any], value: Scalar) -> Scalar:
    """A vocabulary value in words (``not_found`` -> ``not found``); a name as given."""
    if isinstance(value, str) and not (isinstance(attr, Choice) and attr.names):
        return value.replace("_", " ")
    return value


def _alternatives(attr: Choice[Any] | Flag[Any], values: tuple[Scalar, ...], scope: Scope) -> str:
    label = scope.each.label if scope.each else EACH
    return join_words(label if v == EACH else quote(_word(attr, v)) for v in values)


def _state(attr: Choice[Any] | Flag[Any], item: Any, scope: Scope) -> str:
    if isinstance(attr, Flag):
        return f"is {attr.yes if attr.test(item, scope) else attr.no}"
    actual = [_word(attr, v) for v in attr.values(item, scope)]
    return f"has {attr.name} {listing(actual, 'and')}" if actual else f"has no {attr.name}"


def _fits(attr: Choice[Any] | Flag[Any], item: Any, values: tuple[Scalar, ...], s: Scope) -> bool:
    if isinstance(attr, Flag):
        return attr.test(item, s) is bool(values[0])
    return bool(_wanted(values, s) & {v.casefold() for v in attr.values(item, s)})


def mismatches(spec: ListSpec[Any], item: Any, where: Where, scope: Scope) -> list[str]:
    """What keeps ``item`` out of ``where``, one phrase per attribute; empty if it fits."""
    out = []
    for key, values in where.items():
        attr = spec.attrs[key]
        if not _fits(attr, item, values, scope):
            wanted = "" if isinstance(attr, Flag) else f", not {_alternatives(attr, values, scope)}"
            out.append(_state(attr, item, scope) + wanted)
    return out


def states(spec: ListSpec[Any], item: Any, where: Where, scope: Scope) -> str:
    """How ``item`` stands on each attribute of ``where``."""
    return ", ".join(_state(spec.attrs[key], item, scope) for key in where)


def describe(spec: ListSpec[Any], where: Where, scope: Scope) -> str:
    """A filter in words: ``of kind 'note' sent for 'handwriting' examination``."""
    words = []
    for key, values in where.items():
        attr = spec.attrs[key]
        if isinstance(attr, Flag):
            words.append(f"that is {attr.yes if values[0] else attr.no}")
        else:
            words.append(attr.phrase.format(_alternatives(attr, values, scope)))
    return " ".join(words)


def select(spec: ListSpec[Any], where: Where, scope: Scope) -> list[Any]:
    return [item for item in spec.items(scope) if not mismatches(spec, item, where, scope)]
