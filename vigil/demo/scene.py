"""Pieces every scenario needs: the deceased, where they were found, their family."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from random import Random

from vigil.demo import evidence, names, places
from vigil.demo.casework import Draft
from vigil.demo.people import Person, date_of_birth
from vigil.domain.enums import ExhibitKind, PlaceType, Role, Sex, ToxicologyStatus
from vigil.domain.report import Attendance, Deceased, Location, Toxicology

CORONER = "Coroner's officer"
RELATIONS_OLD = ("daughter", "son", "wife", "husband", "niece", "nephew", "granddaughter")
RELATIONS_YOUNG = ("mother", "father", "sister", "brother", "partner")
OCCUPATIONS = (
    "unemployed",
    "student",
    "care worker",
    "chef",
    "bus driver",
    "builder",
    "fashion student",
    "warehouse operative",
    "barista",
    "nurse",
    "IT consultant",
    "delivery driver",
    "electrician",
    "retail assistant",
)
NATIONALITIES = (
    "British",
    "British",
    "British",
    "British",
    "Polish",
    "Irish",
    "Nigerian",
    "Indian",
    "Portuguese",
    "Slovak",
    "French",
    "Romanian",
)


@dataclass(frozen=True)
class Victim:
    name: str
    surname: str
    sex: Sex
    age: int
    date_of_birth: date
    home_address: str

    @property
    def man_or_woman(self) -> str:
        return "man" if self.sex is Sex.MALE else "woman"

    @property
    def he(self) -> str:
        return "he" if self.sex is Sex.MALE else "she"

    @property
    def his(self) -> str:
        return "his" if self.sex is Sex.MALE else "her"

    @property
    def him(self) -> str:
        return "him" if self.sex is Sex.MALE else "her"


def clipped_age(rng: Random, mean: float, sd: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(mean, sd))))


def victim(d: Draft, age: int, male: float, home_address: str | None = None) -> Victim:
    rng = d.rng
    sex = Sex.MALE if rng.random() < male else Sex.FEMALE
    family = names.surname(rng)
    return Victim(
        name=names.full_name(rng, sex, family, age),
        surname=family,
        sex=sex,
        age=age,
        date_of_birth=date_of_birth(rng, age, d.reported_at.date()),
        home_address=home_address or d.people.fresh_address(d.borough),
    )


def deceased(
    d: Draft,
    v: Victim,
    *,
    known_illness: bool | None = None,
    medical_history: str | None = None,
    identified: bool = True,
    occupation: str | None = None,
) -> Deceased:
    """The deceased as first recorded; unidentified ones have only sex and an estimated age."""
    data: dict[str, object] = {"sex": v.sex, "age": v.age}
    if identified:
        data.update(
            identified=True,
            name=v.name,
            date_of_birth=v.date_of_birth,
            home_address=v.home_address,
            occupation=occupation or ("retired" if v.age >= 67 else d.rng.choice(OCCUPATIONS)),
            nationality=d.rng.choice(NATIONALITIES),
        )
    if known_illness is not None:
        data["known_illness"] = known_illness
    if medical_history:
        data["medical_history"] = medical_history
    return Deceased.model_validate(data)


def home(d: Draft, v: Victim, description: str) -> Location:
    lat, lon = places.point(d.rng, d.borough)
    return Location(
        address=v.home_address,
        latitude=lat,
        longitude=lon,
        place_type=PlaceType.HOME,
        description=description,
    )


def other_residence(d: Draft, address: str, description: str) -> Location:
    lat, lon = places.point(d.rng, d.borough)
    return Location(
        address=address,
        latitude=lat,
        longitude=lon,
        place_type=PlaceType.OTHER_RESIDENCE,
        description=description,
    )


def at_site(d: Draft, place_type: PlaceType, metres: float = 60.0) -> Location:
    """A location at one of the borough's sites of that type, or a street point if it has none."""
    site = places.site(d.rng, d.borough, place_type)
    if site is not None:
        return places.site_location(d.rng, site, metres)
    lat, lon = places.point(d.rng, d.borough)
    return Location(
        address=f"{places.street(d.rng)}, London {places.postcode(d.rng, d.borough)}",
        latitude=lat,
        longitude=lon,
        place_type=place_type,
    )


def relative(d: Draft, v: Victim, relation: str, *, lives_with: bool = False) -> Person:
    """A family member; spouses and parents of the young often share the home address."""
    rng = d.rng
    by_marriage = relation in ("wife", "husband", "partner")
    female = relation in ("daughter", "wife", "niece", "granddaughter", "mother", "sister")
    sex = Sex.FEMALE if female else Sex.MALE
    if relation == "partner":
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    family = None if by_marriage and rng.random() < 0.3 else v.surname
    older = relation in ("mother", "father")
    ages = (v.age + 18, v.age + 40) if older else (max(18, v.age - 45), max(19, v.age + 5))
    return d.people.new(
        d.borough,
        d.reported_at.date(),
        ages=(min(ages[0], 95), min(ages[1], 99)),
        sex=sex,
        family=family,
        address=v.home_address if lives_with else None,
        phone=0.9,
    )


def next_of_kin(
    d: Draft,
    v: Victim,
    relations: tuple[str, ...],
    statement: str,
    *extra: Role,
    known_at: datetime | None = None,
) -> tuple[Person, str]:
    relation = d.rng.choice(relations)
    lives_with = relation in ("wife", "husband", "partner") and d.rng.random() < 0.7
    person = relative(d, v, relation, lives_with=lives_with)
    roles = (Role.NEXT_OF_KIN, Role.PARTNER) if relation == "partner" else (Role.NEXT_OF_KIN,)
    d.add(person, *roles, *extra, statement=statement, known_at=known_at)
    return person, relation


def attendance(d: Draft, sergeant: float, low: float = 10, high: float = 75) -> Attendance:
    """Who attended and when; ``sergeant`` is the chance a sergeant or above did."""
    return Attendance(
        officer=d.recorded_by,
        sergeant_or_above=d.rng.random() < sergeant,
        arrived_at=d.after(d.reported_at, low, high),
    )


def post_mortem(
    d: Draft,
    arrived: datetime,
    reason: str,
    *,
    answer: str = "Accepted; post-mortem ordered.",
) -> None:
    """Referral to the coroner, the post-mortem action, and the samples taken."""
    d.refer(CORONER, reason, d.after(arrived, 60, 600), answer)
    evidence.action(d, "post_mortem", "Attend post-mortem", d.after(arrived, 60, 900))
    evidence.exhibit(
        d,
        ExhibitKind.SAMPLE,
        "Post-mortem blood and urine",
        d.days_after(arrived, 1, 3),
        examinations=("toxicology",),
        returned=d.rng.random() < 0.5,
    )


def gp(rng: Random) -> str:
    return f"Dr {names.surname(rng)}"


def toxicology_result(substances: tuple[str, ...], includes_ghb: bool | None = None) -> Toxicology:
    """A confirmed result; no substances found is left unwritten rather than written empty."""
    data: dict[str, object] = {"status": ToxicologyStatus.CONFIRMED}
    if substances:
        data["substances"] = substances
    if includes_ghb is not None:
        data["includes_ghb"] = includes_ghb
    return Toxicology.model_validate(data)


def toxicology_requested(at: datetime, *, ghb: bool) -> Toxicology:
    return Toxicology(status=ToxicologyStatus.PENDING, requested_at=at, includes_ghb=ghb)
