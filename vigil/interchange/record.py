"""One line of the interchange file: a whole case, with when each fact became known.

``report`` holds the facts as first known (at ``known_at``); each of ``updates`` holds facts that
became known later. Only the fields written in a report or update are facts: a field left out
changes nothing, an explicit ``null`` records that the value is not known.

``restricted_to`` carries need-to-know: the users a restricted case is visible to. Importing it
restricts the case to them and the importer: a case the import creates, or, for an importer
whose role may restrict cases, one already in the store. At least one of them must be able to
lift the restriction (a reviewing officer or an investigator). An import never lifts a
restriction.

``decisions`` are recorded as imported: by the importer, from the file and line, with what the
file says of who decided and who overrode the floor kept in words; an imported decision is never
a Vigil user's sign-off or override (``vigil.services.casework.writers.decisions``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from vigil.domain import limits
from vigil.domain.base import Value, When
from vigil.domain.investigation import (
    Action,
    CategoryDecision,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport

FORMAT: Literal["vigil.case/1"] = "vigil.case/1"
REFERENCE_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9/_.:-]{{0,{limits.REFERENCE - 1}}}$"
Username = Annotated[str, Field(min_length=1, max_length=limits.USERNAME)]


class ReportUpdate(Value):
    known_at: When
    recorded_by: str = Field(min_length=1, max_length=limits.USERNAME)
    report: DeathReport


class CaseRecord(Value):
    format: Literal["vigil.case/1"] = FORMAT
    reference: str = Field(pattern=REFERENCE_PATTERN, description="The force's case reference.")
    known_at: When | None = Field(
        default=None,
        description="When the facts in 'report' became known; default: report.reported_at, "
        "else the time of import.",
    )
    recorded_by: str = Field(default="import", min_length=1, max_length=limits.USERNAME)
    report: DeathReport = DeathReport()
    updates: tuple[ReportUpdate, ...] = ()
    persons: tuple[PersonEntry, ...] = ()
    liaison: tuple[LiaisonEntry, ...] = ()
    exhibits: tuple[Exhibit, ...] = ()
    actions: tuple[Action, ...] = ()
    referrals: tuple[Referral, ...] = ()
    decisions: tuple[CategoryDecision, ...] = Field(
        default=(),
        description="Category decisions made elsewhere: recorded as imported (decided by "
        "'import:<importer>', the file's decided_by, override_by and override_reason kept in "
        "the rationale); never a Vigil user's sign-off or override of the floor.",
    )
    restricted_to: tuple[Username, ...] = Field(
        default=(),
        description="The users a restricted case is visible to; empty: the case is open. "
        "Import restricts the case to them (each an active Vigil user, at least one a "
        "reviewing officer or investigator, who may lift it) and the importer, if the import "
        "creates the case or the importer may restrict cases; it never lifts a restriction, "
        "so an empty list leaves a restricted case restricted.",
        json_schema_extra={"uniqueItems": True},
    )
    series: str | None = Field(
        default=None,
        description="For replays and evaluation only: the true series this case belongs to. "
        "Linkage never reads it, and import does not store it.",
    )

    @model_validator(mode="after")
    def _no_duplicates(self) -> CaseRecord:
        keyed: dict[str, list[object]] = {
            "persons": [p.ref for p in self.persons],
            "exhibits": [x.ref for x in self.exhibits],
            "actions": [a.ref for a in self.actions],
            "referrals": [r.ref for r in self.referrals],
            "liaison": [(e.person_ref, e.at) for e in self.liaison],
            "restricted_to": list(self.restricted_to),
        }
        for name, keys in keyed.items():
            seen: set[object] = set()
            for index, key in enumerate(keys):
                if key in seen:
                    what = {"liaison": "person and time", "restricted_to": "username"}.get(
                        name, "ref"
                    )
                    raise ValueError(f"{name}.{index}: the same {what} appears twice")
                seen.add(key)
        return self
