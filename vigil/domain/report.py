"""The death report: the facts of a death, as the Barking inquests found they must be recorded.

Every field is optional or defaulted so that a report can be saved as a draft at the scene and
completed as facts become known. ``None`` means "not known yet", never "no".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field

from vigil.domain import limits
from vigil.domain.base import Value, When
from vigil.domain.enums import (
    CauseStatus,
    CctvStatus,
    DeviceStatus,
    PlaceType,
    Presence,
    Sex,
    ToxicologyStatus,
)


class Location(Value):
    address: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    place_type: PlaceType | None = None
    description: str | None = None


class Deceased(Value):
    identified: bool = False
    name: str | None = Field(default=None, max_length=limits.PERSON_NAME)
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    occupation: str | None = None
    home_address: str | None = None
    nationality: str | None = None
    known_illness: bool | None = Field(
        default=None, description="Had a known illness that could explain the death."
    )
    medical_history: str | None = None
    sexuality: str | None = Field(
        default=None, description="As the deceased or those close to them described it. Sensitive."
    )
    drug_use: str | None = Field(
        default=None, description="Known use of drugs (e.g. chemsex, GHB). Sensitive."
    )


class FirstAccount(Value):
    """What whoever found or reported the death first said, and whether it fits the scene."""

    given_by: str | None = None
    given_by_role: str | None = Field(default=None, description="caller, finder, ...")
    account: str | None = None
    fits_scene: bool | None = Field(
        default=None, description="Officer's assessment: does the account fit the scene?"
    )
    discrepancies: str | None = None


class Attendance(Value):
    officer: str | None = None
    sergeant_or_above: bool | None = None
    arrived_at: When | None = None


class Scene(Value):
    position: str | None = None
    moved_after_death: bool | None = None
    injuries: str | None = None
    phone: Presence = Presence.UNKNOWN
    wallet: Presence = Presence.UNKNOWN
    id_document: Presence = Presence.UNKNOWN
    note_present: bool | None = None
    note_description: str | None = None
    drug_paraphernalia: bool | None = None
    bedding_or_clothing_disturbed: bool | None = None
    observations: str | None = None


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
    status: CauseStatus = CauseStatus.UNKNOWN
    text: str | None = None


class Device(Value):
    kind: str = Field(min_length=1, description="phone, laptop, tablet, ...")
    description: str | None = None
    owner: str | None = Field(default=None, description="deceased, or the person's name")
    status: DeviceStatus = DeviceStatus.NOT_SOUGHT


class Cctv(Value):
    location: str = Field(min_length=1)
    status: CctvStatus = CctvStatus.SOUGHT
    notes: str | None = None


class DeathReport(Value):
    reported_at: When | None = None
    found_at: When | None = None
    circumstances: str | None = Field(default=None, description="Free-text summary.")
    location: Location = Location()
    deceased: Deceased = Deceased()
    first_account: FirstAccount = FirstAccount()
    attendance: Attendance = Attendance()
    scene: Scene = Scene()
    toxicology: Toxicology = Toxicology()
    cause: Cause = Cause()
    devices: tuple[Device, ...] = ()
    cctv: tuple[Cctv, ...] = ()
