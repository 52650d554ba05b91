"""Masking: what a reader may not see of a case, and the case as they may see it.

Which fields are sensitive is declared here, once:

- ``SENSITIVE_PATHS``: the deceased's sexuality and drug use, which the Barking inquests found
  had shaped how the deaths were (not) investigated. Withheld from every role without
  ``see_sensitive``. Toxicology results and medical history are not among them: they are the
  evidence that categorisation and linkage read.
- ``VICTIM_IDENTITY_PATHS``: who the deceased was. On a restricted case, withheld from every
  role without ``see_sensitive``, together with the deceased's entry among the persons.
- ``PEOPLE_PATHS``: names, addresses and identifiers in the report (on a drugging report, the
  person reported's: ``REPORTED_PATHS``). Withheld from every role without ``see_identities``
  (the advisory panel's redacted view), together with the name, date of birth and identifiers
  of every person on the case.

A withheld text reads ``[withheld]`` whether or not anything was recorded (so that its absence
tells nothing); a withheld date reads as unknown. Every free text of the case (circumstances,
accounts, statements, liaison, exhibits, actions, reasons) has the withheld names and
identifiers replaced by ``[withheld]`` too, in every written form, so a name cannot leak
through a sentence (``vigil.domain.redaction``); a reader who may see no one's identity gets
no phone number or e-mail address from free text at all, and postcodes only to their district.

Where the address is withheld the place is coarsened to what the reader may see: the place
description is withheld with the address (``PEOPLE_PATHS``) and the coordinates are rounded to
``PLACE_DECIMALS`` places (about a kilometre), on the report, its facts and the series map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Any

from vigil.domain.access import Permission
from vigil.domain.case import CaseView
from vigil.domain.enums import IdentifierKind, Role
from vigil.domain.facts import Fact, flatten, report_from_values
from vigil.domain.identifiers import normalise_phone
from vigil.domain.people import Identifier, PersonEntry
from vigil.domain.redaction import WITHHELD, Redactor

__all__ = [
    "COARSE_PATHS",
    "PEOPLE_PATHS",
    "REPORTED_PATHS",
    "SENSITIVE_PATHS",
    "VICTIM_IDENTITY_PATHS",
    "WITHHELD",
    "Mask",
    "Redactor",
    "coarse_place",
    "mask_for",
    "mask_view",
    "redactor_for",
]

SENSITIVE_PATHS: frozenset[str] = frozenset({"deceased.sexuality", "deceased.drug_use"})
REPORTED_PATHS: frozenset[str] = frozenset(
    {
        "drugging.handle",
        "drugging.name_used",
        "drugging.phone",
        "drugging.address",
        "drugging.description",
    }
)
VICTIM_IDENTITY_PATHS: frozenset[str] = frozenset(
    {"deceased.name", "deceased.date_of_birth", "deceased.home_address"}
)
PEOPLE_PATHS: frozenset[str] = VICTIM_IDENTITY_PATHS | {
    "location.address",
    "location.description",  # 'behind the flats on Elm Road' says what the address would
    "first_account.given_by",
    "devices",  # each device's owner is a name
    # a drugging report's person reported: their identifiers, and what they are like
    *REPORTED_PATHS,
}

COARSE_PATHS: frozenset[str] = frozenset({"location.latitude", "location.longitude"})
PLACE_DECIMALS = 2
"""Coordinates where the address is withheld: 2 decimal places, a cell about 1.1 km north to
south and 0.7 km east to west in London."""

_DATE_PATHS = {"deceased.date_of_birth"}
_NAME_PATHS = {"deceased.name", "first_account.given_by", "drugging.name_used"}
_PHONE_PATHS = {"drugging.phone"}
_NAME_KINDS = {IdentifierKind.NAME, IdentifierKind.ALIAS}


@dataclass(frozen=True)
class Mask:
    """What one reader may not see of one case."""

    paths: frozenset[str] = frozenset()
    all_persons: bool = False  # every person's name, date of birth and identifiers
    deceased_persons: bool = False  # the deceased's own entry among the persons

    @property
    def empty(self) -> bool:
        return not (self.paths or self.all_persons or self.deceased_persons)

    @property
    def coarse(self) -> bool:
        """The place only to about a kilometre: the address is withheld."""
        return "location.address" in self.paths

    def hides_person(self, person: PersonEntry) -> bool:
        return self.all_persons or (self.deceased_persons and Role.DECEASED in person.roles)


def mask_for(permissions: frozenset[Permission], *, restricted: bool) -> Mask:
    """The mask for a reader with ``permissions`` looking at a (restricted or open) case."""
    paths: set[str] = set()
    sensitive = Permission.SEE_SENSITIVE in permissions
    identities = Permission.SEE_IDENTITIES in permissions
    if not sensitive:
        paths |= SENSITIVE_PATHS
        if restricted:
            paths |= VICTIM_IDENTITY_PATHS
    if not identities:
        paths |= PEOPLE_PATHS
    return Mask(
        frozenset(paths),
        all_persons=not identities,
        deceased_persons=restricted and not sensitive,
    )


def coarse_place(value: Any) -> Any:
    """A latitude or longitude rounded to ``PLACE_DECIMALS`` places; anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), PLACE_DECIMALS)
    return value


def _withheld(path: str, value: Any) -> Any:
    if path == "devices":
        return [
            {**d, "owner": WITHHELD if d.get("owner") not in (None, "deceased") else d["owner"]}
            for d in value or []
        ]
    return None if path in _DATE_PATHS else WITHHELD


def _address_parts(address: str) -> list[str]:
    """An address and each comma-separated part of it with a number in it ('14 Elm Road',
    'London E6 2AB'), so that a sentence quoting part of it is redacted too."""
    parts = [p.strip() for p in address.split(",")]
    return [address, *(p for p in parts if any(c.isdigit() for c in p))]


def _secrets_of(values: Mapping[str, Any], mask: Mask) -> tuple[list[str], list[str], list[str]]:
    """The withheld texts of the report's values, the names among them, and the phone numbers
    (normalised) among them."""
    secrets: list[str] = []
    names: list[str] = []
    phones: list[str] = []
    for path in mask.paths:
        value = values.get(path)
        if path == "devices":
            given = [d.get("owner") for d in value or [] if isinstance(d, Mapping)]
            owners = [o for o in given if isinstance(o, str) and o != "deceased"]
            secrets += owners
            names += owners
        elif isinstance(value, str) and path in _PHONE_PATHS:
            secrets.append(value)
            with suppress(ValueError):  # every written form of the number too
                phones.append(normalise_phone(value))
        elif isinstance(value, str):
            secrets += _address_parts(value) if path.endswith("address") else [value]
            if path in _NAME_PATHS:
                names.append(value)
    return secrets, names, phones


def redactor_for(values: Mapping[str, Any], persons: Iterable[PersonEntry], mask: Mask) -> Redactor:
    """The redactor for one case: ``values`` are its report's values by path (as stored),
    ``persons`` the persons on it. It finds the withheld names and identifiers in every written
    form, and for a reader who may see nobody's identity any phone or e-mail at all."""
    secrets, names, phones = _secrets_of(values, mask)
    for person in persons:
        if not mask.hides_person(person):
            continue
        if person.name:
            secrets.append(person.name)
            names.append(person.name)
        for ident in person.identifiers:
            if ident.kind is IdentifierKind.PHONE:
                phones.append(ident.normalised)
            elif ident.kind is IdentifierKind.ADDRESS:
                secrets += [*_address_parts(ident.value), ident.normalised]
            else:
                secrets += [ident.value, ident.normalised]
            if ident.kind in _NAME_KINDS:
                names.append(ident.value)
    return Redactor.of(secrets, names, phones=phones, strangers=mask.all_persons)


def _mask_values(values: Mapping[str, Any], mask: Mask, redact: Redactor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in values.items():
        if path in mask.paths:
            out[path] = _withheld(path, value)
        elif mask.coarse and path in COARSE_PATHS:
            out[path] = coarse_place(value)
        else:
            out[path] = redact.value(value)
    return out


def _mask_person(person: PersonEntry, mask: Mask, redact: Redactor) -> PersonEntry:
    if not mask.hides_person(person):
        return person.model_copy(update={"statement": redact.optional(person.statement)})
    return person.model_copy(
        update={
            "name": WITHHELD if person.name else None,
            "date_of_birth": None,
            "identifiers": tuple(
                Identifier.model_construct(kind=i.kind, value=WITHHELD, normalised=WITHHELD)
                for i in person.identifiers
            ),
            "statement": redact.optional(person.statement),
        }
    )


def _mask_fact(fact: Fact, mask: Mask, redact: Redactor) -> Fact:
    if fact.path in mask.paths:
        return replace(fact, value=_withheld(fact.path, fact.value))
    if mask.coarse and fact.path in COARSE_PATHS:
        return replace(fact, value=coarse_place(fact.value))
    return replace(fact, value=redact.value(fact.value))


def mask_view(view: CaseView, mask: Mask) -> tuple[CaseView, Redactor]:
    """The case as a reader with ``mask`` may see it, and the redactor used (for the other
    texts shown beside it, such as the policy's reasons)."""
    if mask.empty:
        return view, Redactor()
    values = flatten(view.report.model_dump(mode="json"))
    redact = redactor_for(values, view.persons, mask)

    def text(value: str) -> str:
        return redact(value)

    masked = replace(
        view,
        report=report_from_values(_mask_values(values, mask, redact)),
        persons=tuple(_mask_person(p, mask, redact) for p in view.persons),
        liaison=tuple(
            e.model_copy(
                update={
                    "summary": text(e.summary),
                    "concerns": tuple(
                        c.model_copy(
                            update={"text": text(c.text), "answer": redact.optional(c.answer)}
                        )
                        for c in e.concerns
                    ),
                }
            )
            for e in view.liaison
        ),
        exhibits=tuple(
            x.model_copy(
                update={
                    "description": text(x.description),
                    "where_found": redact.optional(x.where_found),
                    "custody": tuple(
                        ev.model_copy(update={"notes": redact.optional(ev.notes)})
                        for ev in x.custody
                    ),
                }
            )
            for x in view.exhibits
        ),
        actions=tuple(
            a.model_copy(
                update={
                    "title": text(a.title),
                    "result": redact.optional(a.result),
                    "history": tuple(
                        s.model_copy(update={"note": redact.optional(s.note)}) for s in a.history
                    ),
                }
            )
            for a in view.actions
        ),
        referrals=tuple(
            r.model_copy(
                update={
                    "reason": text(r.reason),
                    "answer_reason": redact.optional(r.answer_reason),
                }
            )
            for r in view.referrals
        ),
        decisions=tuple(
            d.model_copy(
                update={
                    "rationale": text(d.rationale),
                    "override_reason": redact.optional(d.override_reason),
                }
            )
            for d in view.decisions
        ),
        facts=tuple(_mask_fact(f, mask, redact) for f in view.facts),
    )
    return masked, redact
