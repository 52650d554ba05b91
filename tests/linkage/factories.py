"""Small factories for linkage tests: synthetic cases (invented names, numbers from Ofcom's
drama range 07700 900xxx) and the profile rows built from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from vigil.domain import CaseView, DeathReport, Identifier, IdentifierKind, PersonEntry, Role
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import COLUMNS, LIST_COLUMNS, SCORING_COLUMNS, Profile, build

T0 = datetime(2015, 6, 19, 5, 30, tzinfo=UTC)
CHURCHYARD = (51.5390, 0.0810)  # an invented point in east London
KM_PER_DEGREE_LATITUDE = 6371.0 * 3.141592653589793 / 180

# 4,000 deaths in the store: GHB in 4 of them (under 0.1%), GBL in 30 (under 1%), tramadol in
# 100 (under 5%), heroin in 1,200 and alcohol in 2,000 (common); Gabriel the first name on 2
# cases, Sam on 60.
FREQUENCIES = Frequencies(
    substances={"ghb": 4, "gbl": 30, "tramadol": 100, "heroin": 1200, "alcohol": 2000},
    first_names={"gabriel": 2, "sam": 60, "alex": 80},
    cases=4000,
)

# A young man found in a churchyard with GHB, his phone missing, the body moved.
BASE: dict[str, Any] = {
    "reported_at": T0.isoformat(),
    "found_at": T0.isoformat(),
    "circumstances": "Found by a passer-by on the path.",
    "location": {
        "latitude": CHURCHYARD[0],
        "longitude": CHURCHYARD[1],
        "place_type": "churchyard",
    },
    "deceased": {"name": "Alex Testvictim", "sex": "male", "age": 23},
    "scene": {"phone": "missing", "moved_after_death": True, "note_present": False},
    "toxicology": {"status": "confirmed", "substances": ["ghb"]},
}


def north(km: float) -> tuple[float, float]:
    """A point ``km`` due north of the churchyard."""
    return CHURCHYARD[0] + km / KM_PER_DEGREE_LATITUDE, CHURCHYARD[1]


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def report(**changes: Any) -> DeathReport:
    """The BASE report with nested changes: ``report(deceased={"age": 40})``."""
    return DeathReport.model_validate(_merge(BASE, changes))


def person(
    ref: str,
    *roles: Role,
    name: str | None = None,
    statement: str | None = None,
    **identifiers: str,
) -> PersonEntry:
    """``person("p1", Role.CALLER, name="Sam Testperson", phone="07700 900461")``; identifier
    keywords are IdentifierKind values (phone, email, address, handle, alias)."""
    return PersonEntry(
        ref=ref,
        name=name,
        roles=roles,
        statement=statement,
        identifiers=tuple(
            Identifier(kind=IdentifierKind(kind), value=value)
            for kind, value in identifiers.items()
        ),
    )


def case(reference: str, *persons: PersonEntry, **changes: Any) -> CaseView:
    return CaseView(reference=reference, report=report(**changes), persons=persons)


def profile(reference: str, *persons: PersonEntry, **changes: Any) -> Profile:
    """The case's profile, its row annotated with FREQUENCIES (as when it is scored)."""
    built = build(case(reference, *persons, **changes))
    return replace(built, row=FREQUENCIES.annotate(built.row))


def row(**values: Any) -> dict[str, Any]:
    """A profile row with every column empty (null, or [] for lists) but those given, annotated
    with FREQUENCIES unless its scoring columns are given."""
    empty: dict[str, Any] = {c: [] if c in LIST_COLUMNS else None for c in COLUMNS}
    unknown = set(values) - set(COLUMNS) - set(SCORING_COLUMNS)
    if unknown:
        raise KeyError(f"not profile columns: {sorted(unknown)}")
    made = {**empty, "unique_id": "VGL-TEST", **values}
    return made if "substance_bands" in values else {**FREQUENCIES.annotate(made), **values}
