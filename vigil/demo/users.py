"""The demo log-ins, one per role, and the synthetic officers who work beside them.

The service layer creates the log-ins; the generator's records name them (and synthetic collar
numbers) as authors, owners of actions and reviewing officers."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from vigil.domain.enums import UserRole

DEMO_USERS: tuple[tuple[str, UserRole, str], ...] = (
    ("officer", UserRole.RESPONSE_OFFICER, "PC Demo Officer"),
    ("sergeant", UserRole.REVIEWING_OFFICER, "PS Demo Sergeant (reviewing officer)"),
    ("investigator", UserRole.INVESTIGATOR, "DC Demo Investigator"),
    ("analyst", UserRole.ANALYST, "Demo Analyst"),
    ("panel", UserRole.PANEL_MEMBER, "Demo Panel Member"),
    ("safeguarding", UserRole.SAFEGUARDING_OFFICER, "DC Demo Safeguarding Officer"),
    ("admin", UserRole.ADMINISTRATOR, "Demo Administrator"),
)

# The command unit each demo log-in works in (``vigil/demo/units.geojson``): the officer and
# the sergeant in Eastmarsh, the borough where suspicious deaths cluster; the investigator,
# the analyst and the panel across the force; the administrator in none.
DEMO_UNITS: dict[str, str] = {
    "officer": "EM",
    "sergeant": "EM",
    "investigator": "MET",
    "analyst": "MET",
    "panel": "MET",
    "safeguarding": "MET",  # the specialist team triages the portal's reports force-wide
}


@dataclass(frozen=True)
class Staff:
    """Synthetic collar numbers, mixed with the demo log-ins so the demo users see their work."""

    constables: tuple[str, ...]
    detectives: tuple[str, ...]
    inspectors: tuple[str, ...]

    @classmethod
    def make(cls, rng: Random) -> Staff:
        numbers = rng.sample(range(1000, 9999), 60)
        return cls(
            constables=tuple(f"PC {n}" for n in numbers[:36]),
            detectives=tuple(f"DC {n}" for n in numbers[36:54]),
            inspectors=tuple(f"Insp {n // 10}" for n in numbers[54:]),
        )
