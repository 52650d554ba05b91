"""A case's linkage profile: the facts linkage compares, as one flat row.

The row is what Splink sees (DuckDB or Spark), so it holds only plain values and lists of
strings. ``Profile.roles`` keeps, beside the row, who on the case holds each identifier, for
the explanations ("caller on A, named in a friend's statement on B").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vigil.domain.case import CaseView
from vigil.domain.enums import IdentifierKind, Presence, Sex
from vigil.domain.identifiers import is_organisation_number, normalise_name

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ORGANISATION_PHONE = "orgphone"


def identifier_key(kind: str, normalised: str) -> str:
    """'phone:+447700900461'; an organisation's number (freephone, shared-cost, ...) is keyed
    'orgphone:+448001234567', so linkage weighs it apart from a person's phone."""
    if kind == IdentifierKind.PHONE and is_organisation_number(normalised):
        kind = ORGANISATION_PHONE
    return f"{kind}:{normalised}"


def split_key(key: str) -> tuple[str, str]:
    """The identifier's kind (as the store records it) and normalised value, from its key."""
    kind, _, normalised = key.partition(":")
    return (IdentifierKind.PHONE.value if kind == ORGANISATION_PHONE else kind), normalised


# Columns of the row, in order, with their meaning (Splink's input table).
COLUMNS: dict[str, str] = {
    "unique_id": "the case reference",
    "found_day": "day found (days since 1970-01-01, UTC), or null",
    "found_minute": "minute of the day found (0-1439, UTC), or null",
    "latitude": "where the body was found",
    "longitude": "where the body was found",
    "place_type": "home, street, churchyard, park, river, ... or null",
    "sex": "male, female, or null when unknown",
    "age": "age in years, or null",
    "rare_substances": "substances found that are rare in the store (see Rarity)",
    "common_substances": "substances found that are common in the store",
    "moved": "true when the body was moved after death, else null",
    "phone_missing": "true when the deceased's phone was missing, else null",
    "note_present": "true when a note was found, else null",
    "identifiers": "'kind:normalised' of every identifier of every person on the case "
    "(kind 'orgphone' for an organisation's number: see identifier_key)",
    "names": "normalised names of the deceased and of every person on the case",
    "text_names": "normalised two-word names mentioned in the case's free text",
}


@dataclass(frozen=True)
class Rarity:
    """How often each substance appears among the store's cases; a substance in fewer than
    ``rare_below`` of them is rare. ``prior_cases`` deaths without it are assumed on top of the
    store's, so that in a young store every substance counts as rare until it is seen often."""

    counts: Mapping[str, int] = field(default_factory=dict)
    cases: int = 0
    rare_below: float = 0.02
    prior_cases: int = 200

    def is_rare(self, substance: str) -> bool:
        return self.counts.get(substance, 0) / (self.cases + self.prior_cases) < self.rare_below

    def split(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The row with its substances sorted into rare and common by this store's counts."""
        found = sorted({*row["rare_substances"], *row["common_substances"]})
        return {
            **row,
            "rare_substances": [s for s in found if self.is_rare(s)],
            "common_substances": [s for s in found if not self.is_rare(s)],
        }

    def seen(self, substance: str) -> str:
        return f"seen in {self.counts.get(substance, 0)} of {self.cases} deaths"


@dataclass(frozen=True)
class Profile:
    row: dict[str, Any]
    roles: dict[str, tuple[str, ...]]  # identifier -> "caller (Sam Testperson)", ...
    texts: dict[str, str]  # where each text name was mentioned -> the text's label


_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'\-]+)\s+([A-Z][a-z'\-]+)\b")


def _text_names(texts: Mapping[str, str | None]) -> dict[str, str]:
    found: dict[str, str] = {}
    for label, text in texts.items():
        for first, last in _CAPITALISED_PAIR.findall(text or ""):
            found.setdefault(normalise_name(f"{first} {last}"), label)
    return found


def _age(view: CaseView, found: datetime | None) -> int | None:
    deceased = view.report.deceased
    if deceased.age is not None:
        return deceased.age
    if deceased.date_of_birth and found:
        born = deceased.date_of_birth
        day = found.date()
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return None


def build(view: CaseView, rarity: Rarity) -> Profile:
    report = view.report
    found = report.found_at or report.reported_at
    substances = sorted({s.strip().lower() for s in report.toxicology.substances if s.strip()})
    roles: dict[str, list[str]] = {}
    names: set[str] = set()
    if report.deceased.name:
        names.add(normalise_name(report.deceased.name))
    for person in view.persons:
        who = person.name or person.ref
        for ident in person.all_identifiers():
            key = identifier_key(ident.kind.value, ident.normalised)
            roles.setdefault(key, []).extend(f"{role.value} ({who})" for role in person.roles)
            if ident.kind in (IdentifierKind.NAME, IdentifierKind.ALIAS):
                names.add(ident.normalised)
    texts = {
        "the circumstances": report.circumstances,
        "the first account": report.first_account.account,
    }
    texts.update({f"the statement of {p.name or p.ref}": p.statement for p in view.persons})
    mentioned = {n: label for n, label in _text_names(texts).items() if n not in names}
    scene = report.scene
    row: dict[str, Any] = {
        "unique_id": view.reference,
        "found_day": (found - EPOCH).days if found else None,
        "found_minute": found.hour * 60 + found.minute if found else None,
        "latitude": report.location.latitude,
        "longitude": report.location.longitude,
        "place_type": report.location.place_type.value if report.location.place_type else None,
        "sex": None if report.deceased.sex is Sex.UNKNOWN else report.deceased.sex.value,
        "age": _age(view, found),
        "rare_substances": [s for s in substances if rarity.is_rare(s)],
        "common_substances": [s for s in substances if not rarity.is_rare(s)],
        "moved": True if scene.moved_after_death else None,
        "phone_missing": True if scene.phone is Presence.MISSING else None,
        "note_present": True if scene.note_present else None,
        "identifiers": sorted(roles),
        "names": sorted(names),
        "text_names": sorted(mentioned),
    }
    return Profile(row, {k: tuple(v) for k, v in roles.items()}, mentioned)
