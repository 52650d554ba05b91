"""The death report: the facts of a death, as the Barking inquests found they must be recorded.
The same report holds the other kinds of record (a drugging report, an intelligence entry: see
``vigil.domain.kinds``), each in the sections its kind holds.

Every field is optional or defaulted so that a report can be saved as a draft at the scene and
completed as facts become known. ``None`` means "not known yet", never "no".

Two rules hold for every report, whichever face it comes through (form, API, import, command
line): coordinates come in pairs (a latitude with its longitude), and no time is in the future.
They depend on the rest of the case (a latitude recorded alone may complete a longitude already
known) and on the time, so they are not field validators: ``problems`` checks a whole report,
``change_problems`` what a change brings in, and the one writer of facts
(``vigil.services.casework.writers.facts``) and the bulk import refuse what they find.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from vigil.domain import kinds, limits
from vigil.domain.base import Value, When
from vigil.domain.enums import (
    CauseStatus,
    CctvStatus,
    DeviceStatus,
    InstitutionType,
    IntelligenceType,
    Mechanism,
    Outcome,
    PlaceType,
    Presence,
    RecordKind,
    Reporter,
    Sex,
    ToxicologyStatus,
)


class Location(Value):
    address: str | None = Field(default=None, max_length=limits.LINE)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    place_type: PlaceType | None = None
    description: str | None = Field(default=None, max_length=limits.NOTE)
    unit: str | None = Field(
        default=None,
        max_length=limits.UNIT_CODE,
        description="The code of the command unit the case belongs to, when it is not the unit "
        "whose boundary holds the coordinates (which Vigil finds itself).",
    )


class Deceased(Value):
    identified: bool = False
    name: str | None = Field(default=None, max_length=limits.PERSON_NAME)
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    occupation: str | None = Field(default=None, max_length=limits.LINE)
    home_address: str | None = Field(default=None, max_length=limits.LINE)
    nationality: str | None = Field(default=None, max_length=limits.LINE)
    known_illness: bool | None = Field(
        default=None, description="Had a known illness that could explain the death."
    )
    medical_history: str | None = Field(default=None, max_length=limits.NOTE)
    sexuality: str | None = Field(
        default=None,
        max_length=limits.NOTE,
        description="As the deceased or those close to them described it. Sensitive.",
    )
    drug_use: str | None = Field(
        default=None,
        max_length=limits.NOTE,
        description="Known use of drugs (e.g. chemsex, GHB). Sensitive.",
    )


class FirstAccount(Value):
    """What whoever found or reported the death first said, and whether it fits the scene."""

    given_by: str | None = Field(default=None, max_length=limits.LINE)
    given_by_role: str | None = Field(
        default=None, max_length=limits.LINE, description="caller, finder, ..."
    )
    account: str | None = Field(default=None, max_length=limits.NARRATIVE)
    fits_scene: bool | None = Field(
        default=None, description="Officer's assessment: does the account fit the scene?"
    )
    discrepancies: str | None = Field(default=None, max_length=limits.NOTE)


class Attendance(Value):
    officer: str | None = Field(default=None, max_length=limits.LINE)
    sergeant_or_above: bool | None = None
    arrived_at: When | None = None


class Scene(Value):
    position: str | None = Field(default=None, max_length=limits.NOTE)
    moved_after_death: bool | None = None
    injuries: str | None = Field(default=None, max_length=limits.NOTE)
    phone: Presence = Presence.UNKNOWN
    wallet: Presence = Presence.UNKNOWN
    id_document: Presence = Presence.UNKNOWN
    note_present: bool | None = None
    note_description: str | None = Field(default=None, max_length=limits.NOTE)
    drug_paraphernalia: bool | None = None
    bedding_or_clothing_disturbed: bool | None = None
    observations: str | None = Field(default=None, max_length=limits.NOTE)


def _fits_lower_case(substance: str) -> str:
    # Stored in lower case, which can be the longer ('İ' is two characters in lower case).
    if len(substance.lower()) > limits.SUBSTANCE:
        raise ValueError(f"a substance has at most {limits.SUBSTANCE} characters")
    return substance


Substance = Annotated[str, Field(max_length=limits.SUBSTANCE), AfterValidator(_fits_lower_case)]


class Toxicology(Value):
    status: ToxicologyStatus = ToxicologyStatus.NOT_REQUESTED
    requested_at: When | None = None
    includes_ghb: bool | None = Field(default=None, description="GHB/GBL was asked for.")
    substances: tuple[Substance, ...] = Field(
        default=(), description="Substances found, lower case (e.g. 'ghb', 'heroin')."
    )


class Cause(Value):
    """The cause of death, how it was caused, who certified it and, for a death certified in a
    care home, hospital ward, hospice or custody, the institution (watched for unusual rates)."""

    status: CauseStatus = CauseStatus.UNKNOWN
    text: str | None = Field(default=None, max_length=limits.NOTE)
    mechanism: Mechanism | None = None
    certified_by: str | None = Field(
        default=None,
        max_length=limits.PERSON_NAME,
        description="The doctor who certified the death, with their GMC number if known.",
    )
    institution: str | None = Field(
        default=None, max_length=limits.LINE, description="The care home, ward or hospice."
    )
    institution_type: InstitutionType | None = None


class Investigation(Value):
    """The investigation's outcome (``vigil.domain.enums.Outcome``); not recorded until set."""

    outcome: Outcome | None = None


class Device(Value):
    kind: str = Field(min_length=1, max_length=limits.LINE, description="phone, laptop, ...")
    description: str | None = Field(default=None, max_length=limits.NOTE)
    owner: str | None = Field(
        default=None, max_length=limits.LINE, description="deceased, or the person's name"
    )
    status: DeviceStatus = DeviceStatus.NOT_SOUGHT


class Cctv(Value):
    location: str = Field(min_length=1, max_length=limits.LINE)
    status: CctvStatus = CctvStatus.SOUGHT
    notes: str | None = Field(default=None, max_length=limits.NOTE)


class Drugging(Value):
    """A report of drugging or sexual violence: who reports it, how the person harmed (the
    report's subject, ``deceased``) met the person reported, what they suspect was used, and
    whether they want to be contacted. When and where it happened are ``found_at`` and
    ``location``. The handle, name used, phone and address are the person reported's
    identifiers: linkage weighs them as it weighs anyone's on a case."""

    reporter: Reporter | None = None
    met_via: str | None = Field(
        default=None, max_length=limits.LINE, description="How they met: an app, a club, ..."
    )
    app: str | None = Field(default=None, max_length=limits.LINE, description="App or website.")
    handle: str | None = Field(default=None, max_length=limits.IDENTIFIER)
    name_used: str | None = Field(default=None, max_length=limits.PERSON_NAME)
    phone: str | None = Field(default=None, max_length=limits.IDENTIFIER)
    address: str | None = Field(default=None, max_length=limits.LINE)
    description: str | None = Field(
        default=None, max_length=limits.NOTE, description="What the person reported is like."
    )
    substances_suspected: tuple[Substance, ...] = Field(
        default=(), description="Substances they think were used, lower case (e.g. 'ghb')."
    )
    wants_contact: bool | None = Field(
        default=None, description="Whether the person harmed wants the police to contact them."
    )


class Intelligence(Value):
    """An intelligence entry: what it records and where it comes from. Its text is the
    report's ``circumstances``; the persons on it carry their identifiers."""

    type: IntelligenceType | None = None
    source: str | None = Field(
        default=None, max_length=limits.LINE, description="The system or force it comes from."
    )
    source_reference: str | None = Field(
        default=None, max_length=limits.LINE, description="Its reference there (a crime number)."
    )


class DeathReport(Value):
    """The report of a record of any kind (``kind``; deaths are the centre, and the name is
    theirs). Which sections each kind holds: ``vigil.domain.kinds.SECTIONS``."""

    kind: RecordKind = RecordKind.DEATH
    reported_at: When | None = None
    found_at: When | None = None
    circumstances: str | None = Field(
        default=None, max_length=limits.NARRATIVE, description="Free-text summary."
    )
    location: Location = Location()
    deceased: Deceased = Deceased()
    first_account: FirstAccount = FirstAccount()
    attendance: Attendance = Attendance()
    scene: Scene = Scene()
    toxicology: Toxicology = Toxicology()
    cause: Cause = Cause()
    investigation: Investigation = Investigation()
    devices: tuple[Device, ...] = ()
    cctv: tuple[Cctv, ...] = ()
    drugging: Drugging = Drugging()
    intelligence: Intelligence = Intelligence()


COORDINATES = frozenset({"location.latitude", "location.longitude"})
TIMES: dict[str, str] = {
    "reported_at": "The time the death was reported",
    "found_at": "The time the body was found",
    "attendance.arrived_at": "The time of arrival",
    "toxicology.requested_at": "The time of the request",
}
"""The report's times, and the words that name each in a refusal."""
OTHER_TIMES: dict[str, str] = {
    "reported_at": "The time it was reported",
    "found_at": "The time it happened",
}
"""The words for the times a drugging report or an intelligence entry shares with a death."""


def _half_coordinates(location: Location) -> dict[str, str]:
    if (location.latitude is None) == (location.longitude is None):
        return {}
    missing = "location.longitude" if location.longitude is None else "location.latitude"
    return {missing: "Enter both the latitude and the longitude, or neither"}


def _future_times(report: DeathReport, now: datetime, kind: RecordKind) -> dict[str, str]:
    found: dict[str, str] = {}
    for path, words in TIMES.items():
        if kind is not RecordKind.DEATH:
            words = OTHER_TIMES.get(path, words)
        value: object = report
        for part in path.split("."):
            value = getattr(value, part)
        if isinstance(value, datetime) and value > now:
            found[path] = f"{words} must be in the past"
    return found


def _given(report: DeathReport) -> list[str]:
    """The report's top-level fields given a value (an empty section gives none)."""
    return [name for name, value in report.model_dump(exclude_unset=True).items() if value != {}]


def problems(report: DeathReport, now: datetime) -> dict[str, str]:
    """Why no case may hold ``report``, by field: a latitude without its longitude (or the
    reverse), a time after ``now``, or a section its kind does not hold (a scene on a drugging
    report: ``kinds.foreign``). Empty when it may."""
    return (
        _half_coordinates(report.location)
        | _future_times(report, now, report.kind)
        | kinds.foreign(report.kind, _given(report))
    )


def change_problems(
    latest: DeathReport, changed: DeathReport, paths: Collection[str], now: datetime
) -> dict[str, str]:
    """What a change of ``paths`` brings in, by field: a time it records after ``now``
    (``changed``: a report of the values it records) or, if it records a coordinate, a
    coordinate left without its pair in the report as it then stands (``latest``). A problem
    the case had before and the change does not touch is not the change's. A path the
    record's kind does not hold is refused too (``kinds.foreign``)."""
    times = _future_times(changed, now, latest.kind)
    found = {p: why for p, why in times.items() if p in paths}
    if COORDINATES & set(paths):
        found |= _half_coordinates(latest.location)
    return found | kinds.foreign(latest.kind, paths)
