"""The kinds of record in the store, and what each holds.

A record is a death (the centre of Vigil), a report of drugging or sexual violence, or an
intelligence entry (a prior police contact, a crime report, a missing-person report). All three
are one report model (``vigil.domain.report.DeathReport``: the name is the centre's) stored as
facts with history, with persons, need-to-know, masking and audit, and linked by the same pair
engine. The kind is the report's ``kind`` fact, set when the record is opened and never changed.

Each kind holds some of the report's sections (``SECTIONS``): a death's scene, first account,
attendance, toxicology, cause, devices and CCTV are the evidence its category and checklist are
about, and do not apply to the others; a drugging report has its ``drugging`` section, an
intelligence entry its ``intelligence`` section. Every kind has a subject, the person it is
about, in the ``deceased`` section (for a drugging report, the person harmed), a time
(``found_at``: when it happened), a place (``location``) and free text (``circumstances``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from vigil.domain.enums import RecordKind

__all__ = ["NOUNS", "SECTIONS", "SUBJECTS", "a_kind", "fixed", "foreign", "kind_of", "noun"]

_COMMON = frozenset({"kind", "reported_at", "found_at", "circumstances", "location", "deceased"})
_DEATH_ONLY = frozenset(
    {
        "first_account",
        "attendance",
        "scene",
        "toxicology",
        "cause",
        "investigation",
        "devices",
        "cctv",
    }
)

SECTIONS: Mapping[RecordKind, frozenset[str]] = MappingProxyType(
    {
        RecordKind.DEATH: _COMMON | _DEATH_ONLY,
        RecordKind.DRUGGING: _COMMON | {"drugging"},
        RecordKind.INTELLIGENCE: _COMMON | {"intelligence"},
    }
)
"""The report's top-level fields each kind may hold."""

NOUNS: Mapping[RecordKind, str] = MappingProxyType(
    {
        RecordKind.DEATH: "death",
        RecordKind.DRUGGING: "drugging report",
        RecordKind.INTELLIGENCE: "intelligence entry",
    }
)
"""Each kind in words, as a page or an explanation names a record of it."""

SUBJECTS: Mapping[RecordKind, str] = MappingProxyType(
    {
        RecordKind.DEATH: "the deceased",
        RecordKind.DRUGGING: "the person harmed",
        RecordKind.INTELLIGENCE: "the person it is about",
    }
)
"""What the subject of a record (the report's ``deceased`` section) is called on its kind."""


def kind_of(value: object) -> RecordKind:
    """The kind from a stored value ('drugging'); a record stored before kinds existed, or
    without one, is a death."""
    text = getattr(value, "value", value)
    return RecordKind(str(text)) if text else RecordKind.DEATH


def noun(kind: object) -> str:
    return NOUNS[kind_of(kind)]


def a_kind(kind: object) -> str:
    """'a death', 'a drugging report', 'an intelligence entry'."""
    words = noun(kind)
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def foreign(kind: RecordKind, paths: Iterable[str]) -> dict[str, str]:
    """The paths among ``paths`` that a record of ``kind`` does not hold, each with the words
    that refuse it; empty when all apply."""
    allowed = SECTIONS[kind]
    return {
        path: f"is not part of {a_kind(kind)}"
        for path in paths
        if path.split(".", 1)[0] not in allowed
    }


def fixed(kind: RecordKind) -> str:
    """Why the kind of a record cannot be changed."""
    return (
        f"this record is {a_kind(kind)}; the kind of a record is fixed when it is opened and "
        "cannot be changed"
    )
