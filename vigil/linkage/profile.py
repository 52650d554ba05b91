"""A case's linkage profile: the facts linkage compares, as one flat row.

The row is what Splink sees (DuckDB or Spark), so it holds only plain values and lists of
strings. ``Profile.roles`` keeps, beside the row, who on the case holds each identifier, for
the explanations ("caller on A, written in a friend's statement on B"), and ``Profile.texts``
which text names each name found in free text.

Every kind of record has a profile built the same way (``vigil.domain.kinds``): a drugging
report's subject is the person harmed, and the handle, name used, phone and address it gives
for the person reported are identifiers like anyone's; ``Profile.kind`` lets an explanation
name the kind of each side. A profile depends on the case's own facts only. How often its
substances and first names occur in the store is applied when a pair is scored
(:mod:`vigil.linkage.frequency`), the same way for both sides, so a pair's weight never
depends on which case was saved last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vigil.domain.case import CaseView
from vigil.domain.enums import IdentifierKind, Presence, RecordKind, Role, Sex
from vigil.domain.identifiers import (
    is_organisation_number,
    normalise,
    normalise_address,
    normalise_name,
)
from vigil.domain.report import DeathReport
from vigil.linkage import text

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


# Columns of the row, in order, with their meaning (what a case stores; nothing in it depends
# on the rest of the store, so a profile never goes stale when other cases are saved).
COLUMNS: dict[str, str] = {
    "unique_id": "the case reference",
    "found_day": "day found (days since 1970-01-01, UTC), or null",
    "found_minute": "minute of the day found (0-1439, UTC), or null",
    "latitude": "where the body was found",
    "longitude": "where the body was found",
    "place_type": "home, street, churchyard, park, river, ... or null",
    "sex": "male, female, or null when unknown",
    "age": "age in years, or null",
    "substances": "every substance toxicology found, lower case",
    "moved": "true when the body was moved after death, else null",
    "phone_missing": "true when the deceased's phone was missing, else null",
    "note_present": "true when a note was found, else null",
    "identifiers": "'kind:normalised' of every identifier of everyone on the case, the "
    "deceased's own (name, home address; on another kind of record its subject's) and the "
    "person reported's on a drugging report included, and of those written in its free text "
    "(kind 'orgphone' for an organisation's number, see identifier_key; 'postcode' for the "
    "postcode of any address)",
    "names": "normalised names of the deceased and of every person on the case",
    "first_names": "the first word of each of those names",
    "text_names": "normalised two-word names written in the case's free text, not on it",
    "text_first_names": "single capitalised words of its free text that may be first names "
    "(not a word of a name on the case)",
}
# Columns added at scoring time from the store's frequencies (frequency.Frequencies.annotate),
# the same table for both rows of every pair.
SCORING_COLUMNS: dict[str, str] = {
    "common_identifiers": "identifiers on so many of the store's cases that they are an "
    "institution's (frequency.COMMON_HOLDERS), moved out of identifiers: not weighed",
    "rare_substances": "substances in under 1% of the store's deaths (for blocking)",
    "substance_bands": "'band:substance' for each substance, band by its frequency",
    "first_name_bands": "'band:name' for each of first_names",
    "text_first_bands": "'band:name' for each of text_first_names",
}
LIST_COLUMNS = frozenset(
    {
        "substances",
        "identifiers",
        "names",
        "first_names",
        "text_names",
        "text_first_names",
        *SCORING_COLUMNS,
    }
)
DECEASED_HOME = "home of the deceased"
WRITTEN_IN = "written in "


# What the subject of a record (the report's ``deceased``) is called beside an identifier it
# holds: "deceased (Gabriel Testvictim)", "person harmed (Jo Testsurvivor)".
SUBJECT_ROLES: dict[RecordKind, str] = {
    RecordKind.DEATH: "deceased",
    RecordKind.DRUGGING: "person harmed",
    RecordKind.INTELLIGENCE: "subject",
}


@dataclass(frozen=True)
class Profile:
    row: dict[str, Any]
    roles: dict[str, tuple[str, ...]]  # identifier -> "caller (Sam Testperson)", ...
    texts: dict[str, str]  # each text name or first name -> the label of the text naming it
    kind: str = RecordKind.DEATH.value  # the record's kind, which explanations name

    def stored(self) -> dict[str, Any]:
        """The profile as its case keeps it (JSON)."""
        return {"row": self.row, "roles": self.roles, "texts": self.texts, "kind": self.kind}


def _age(view: CaseView, found: datetime | None) -> int | None:
    deceased = view.report.deceased
    if deceased.age is not None:
        return deceased.age
    if deceased.date_of_birth and found:
        born = deceased.date_of_birth
        day = found.date()
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return None


def _texts(view: CaseView) -> dict[str, str]:
    """The case's free text, by what an inspector calls it."""
    report = view.report
    account = report.first_account
    texts = {
        "the circumstances": report.circumstances,
        "the first account": " ".join(t for t in (account.account, account.discrepancies) if t),
        "the note": report.scene.note_description,
        "the description of the person reported": report.drugging.description,
    }
    names = {p.ref: p.name or p.ref for p in view.persons}
    texts.update({f"the statement of {p.name or p.ref}": p.statement for p in view.persons})
    for entry in view.liaison:
        label = f"the liaison log with {names.get(entry.person_ref, entry.person_ref)}"
        said = [entry.summary, *(c.text for c in entry.concerns)]
        texts[label] = " ".join(filter(None, [texts.get(label), *said]))
    return {label: text for label, text in texts.items() if text}


def _address(value: str | None) -> str | None:
    try:
        return normalise_address(value) if value else None
    except ValueError:  # no word or number in it: nothing to match
        return None


# Places where a death at one's home is a death at the place found: the address is then the
# place of death, which distance already weighs (two residents of one care home are not linked
# by their address); found elsewhere, the home is an identifier like anyone's address.
RESIDENCES = frozenset({"home", "care_home", "hostel", "other_residence"})


def _died_at(report: DeathReport, home: str) -> bool:
    place = report.location.place_type
    return (place is not None and place.value in RESIDENCES) or _address(
        report.location.address
    ) == home


def _first(name: str) -> str:
    return name.split()[0]


def _key(kind: IdentifierKind, value: str | None) -> str | None:
    """The identifier's key ('handle:dan_e6'), or None when there is none to match."""
    try:
        return identifier_key(kind.value, normalise(kind, value)) if value else None
    except ValueError:  # nothing in it to match
        return None


def _reported(report: DeathReport) -> list[tuple[str, IdentifierKind]]:
    """The identifiers a drugging report gives for the person reported: their handle, the name
    they used (an alias), phone and address, as keys with their kinds."""
    given = report.drugging
    found = [
        (_key(kind, value), kind)
        for kind, value in (
            (IdentifierKind.HANDLE, given.handle),
            (IdentifierKind.ALIAS, given.name_used),
            (IdentifierKind.PHONE, given.phone),
            (IdentifierKind.ADDRESS, given.address),
        )
    ]
    return [(key, kind) for key, kind in found if key]


def build(view: CaseView) -> Profile:
    """The case's profile from its current facts alone."""
    report = view.report
    found = report.found_at or report.reported_at
    given = (*report.toxicology.substances, *report.drugging.substances_suspected)
    substances = sorted({s.strip().lower() for s in given if s.strip()})
    roles: dict[str, list[str]] = {}
    subject = SUBJECT_ROLES[report.kind]

    def hold(key: str, *entries: str) -> None:
        held = roles.setdefault(key, [])
        held.extend(e for e in entries if e not in held)

    names: set[str] = set()
    deceased = report.deceased
    if deceased.name:
        names.add(normalise_name(deceased.name))
        hold(f"name:{normalise_name(deceased.name)}", f"{subject} ({deceased.name})")
    home = _address(deceased.home_address)
    if home and not _died_at(report, home):
        who = f" ({deceased.name})" if deceased.name else ""
        hold(f"address:{home}", f"{DECEASED_HOME.replace('deceased', subject)}{who}")
    named = report.drugging.name_used
    for key, held_as in _reported(report):
        role = Role.PERSON_REPORTED.value
        hold(key, f"{role} ({named})" if named else role)
        if held_as is IdentifierKind.ALIAS:
            names.add(key.partition(":")[2])
    for person in view.persons:
        who = person.name or person.ref
        for ident in person.all_identifiers():
            key = identifier_key(ident.kind.value, ident.normalised)
            hold(key, *(f"{role.value} ({who})" for role in person.roles))
            if ident.kind in (IdentifierKind.NAME, IdentifierKind.ALIAS):
                names.add(ident.normalised)
    own_words = {word for name in names for word in name.split()}
    mentioned: dict[str, str] = {}
    first_mentioned: dict[str, str] = {}
    for label, written in _texts(view).items():
        found_here = text.found_in(written)
        for key in sorted(found_here.identifiers):
            kind, value = split_key(key)
            hold(identifier_key(kind, value), WRITTEN_IN + label)
        for name in sorted(found_here.names - names):
            mentioned.setdefault(name, label)
        for word in sorted(found_here.first_names - own_words):
            first_mentioned.setdefault(word, label)
    for key, entries in list(roles.items()):
        postcode = text.postcode_of(key.partition(":")[2]) if key.startswith("address:") else None
        if postcode:
            hold(f"postcode:{postcode}", *entries)
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
        "substances": substances,
        "moved": True if scene.moved_after_death else None,
        "phone_missing": True if scene.phone is Presence.MISSING else None,
        "note_present": True if scene.note_present else None,
        "identifiers": sorted(roles),
        "names": sorted(names),
        "first_names": sorted({_first(n) for n in names}),
        "text_names": sorted(mentioned),
        "text_first_names": sorted(first_mentioned),
    }
    texts = {**first_mentioned, **mentioned}
    return Profile(row, {k: tuple(v) for k, v in roles.items()}, texts, report.kind.value)
