"""Seeded backgrounds of ordinary sudden deaths in a real area, with the confounders that look
like series and are not, for the reconstructed scenarios (``scenario.py``).

``generate(region, count, seed, end=...)`` gives ``count`` interchange records of deaths the
police attended in ``region`` over the period before ``end`` that the region's rate needs for
that many deaths (never shorter than ``min_days``). Same region, count, seed and end: the same
records, byte for byte (one ``random.Random``; nothing reads the clock). Records carry only what
linkage reads (the report, its later toxicology and cause, the persons) and no ``series``.

People come from ``vigil.demo``: names from its lists (the Barking victims' and killer's names
are refused there), phones only from Ofcom's drama ranges (people: 07700 900xxx, then 020 7946
0xxx, each number given to one person; organisations: freephone 0808 157 0xxx and 0306 999
0xxx), e-mails at example.com and example.org. Places are real towns, rivers, stations and
hospitals at approximate coordinates; homes and hostels are invented addresses.

Where the numbers come from (rounded; "assumed" marks what no published figure gives):

- **Rate** (``Region.per_year``): deaths registered in the area (ONS, deaths by local authority
  of usual residence, 2014: about 6,900 in Barking and Dagenham, Newham, Redbridge and
  Havering; about 4,400 in Ipswich, Babergh, Mid Suffolk and Suffolk Coastal; about 2,900 in
  Stockport) times the share the police attend as sudden deaths, assumed 15 %: about 45 % of
  deaths are reported to a coroner (Ministry of Justice, Coroners statistics 2014), and the
  police attend the third of those that happen outside hospital without a doctor to certify.
- **Mix** (``MIX``, percent of police-attended deaths). Natural deaths of older people at home
  and in hospital or care homes are most of them. Suicides 8 %: ONS 2014, 6,122 suicides in the
  UK, 1.2 % of all deaths, so about 8 % of the 15 % attended. Drug poisonings 4.5 %: ONS 2014,
  3,346 in England and Wales, 0.67 % of deaths. Notes are left in 35 % of suicides (published
  studies range from about 15 % to 40 %).
- **Confounders, enriched** (the same in every region, fixed before any replay was run, never
  tuned on a scenario): chemsex deaths with GHB are 2 % here against about 0.2 % in fact
  (Hockenhull, Murphy and Paterson, Forensic Sci Int 2017: 61 GHB-associated deaths in London
  in 2011-2015, about 12 a year of London's 50,000 deaths); deaths of rough sleepers near one
  hostel or station 3 % against under 1 % (ONS, deaths of homeless people, about 600 a year in
  England and Wales in 2013-2017, a third from drugs); drownings after nights out 2 % against
  about 0.4 % (National Water Safety Forum, WAID: 300-400 accidental drownings a year in the
  UK). Enriched so that a background of 1,200 holds a few dozen of each kind of look-alike.
- **Heroin deaths** (``HEROIN_MIX``, ``HEROIN_AGE``): what else toxicology found, and ages, as
  in the Connecticut medical examiner's accidental drug deaths of 2012-2014 with heroin
  (``../shared/data/ct-accidental-drug-deaths-2012-2018``; 756 deaths, before fentanyl took
  over; ``heroin_mix_from_ct`` recomputes it): heroin alone 44 %, with cocaine 16 %, alcohol
  10 %, a benzodiazepine 6 %, cocaine and alcohol 5 %, ...; 76 % men; age mean 38.5, sd 11.7.
  Ethanol is written 'alcohol' and benzodiazepines 'diazepam', as UK toxicology reports them.
"""

from __future__ import annotations

import csv
import dataclasses
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from random import Random
from typing import Any

from vigil.demo import names
from vigil.demo.people import People, Person, date_of_birth
from vigil.demo.places import STREET_TYPES, STREETS, Borough
from vigil.domain.enums import PlaceType, Role, Sex
from vigil.interchange.record import CaseRecord


class Kind(StrEnum):
    NATURAL_HOME = "natural_home"  # older person, known illness, at home
    NATURAL_INSTITUTION = "natural_institution"  # hospital or care home, referred to the coroner
    SUDDEN_YOUNG = "sudden_young"  # young adult, no known illness, natural in the end
    SUICIDE = "suicide"  # a third with a note
    DRUGS_HOME = "drugs_home"  # heroin, methadone, cocaine at home
    ROUGH_SLEEPER = "rough_sleeper"  # heroin near the hostel or the station; its number on the case
    CHEMSEX = "chemsex"  # GHB with friends present, at home or a friend's flat
    DROWNING = "drowning"  # young adult in the river after a night out
    ACCIDENT = "accident"  # falls at home, road collisions
    HYPOGLYCAEMIA = "hypoglycaemia"  # insulin-treated diabetic found at home


MIX: dict[Kind, float] = {
    Kind.NATURAL_HOME: 50,
    Kind.NATURAL_INSTITUTION: 12,
    Kind.SUDDEN_YOUNG: 3,
    Kind.SUICIDE: 8,
    Kind.DRUGS_HOME: 4.5,
    Kind.ROUGH_SLEEPER: 3,
    Kind.CHEMSEX: 2,
    Kind.DROWNING: 2,
    Kind.ACCIDENT: 14,
    Kind.HYPOGLYCAEMIA: 1.5,
}
NOTE_IN_SUICIDES = 0.35
HEROIN_MIX: dict[tuple[str, ...], int] = {
    (): 333, ("cocaine",): 124, ("alcohol",): 78, ("diazepam",): 47, ("alcohol", "cocaine"): 35,
    ("fentanyl",): 23, ("oxycodone",): 17, ("alcohol", "diazepam"): 16, ("cocaine", "fentanyl"): 10,
    ("cocaine", "diazepam"): 8,
}  # fmt: skip
HEROIN_AGE = (38.5, 11.7)
HEROIN_MALE = 0.76
CT_FLAGS = {
    "Cocaine": "cocaine", "Fentanyl": "fentanyl", "Ethanol": "alcohol",
    "Benzodiazepine": "diazepam", "Methadone": "methadone", "Oxycodone": "oxycodone",
    "Amphet": "amphetamine", "Tramad": "tramadol",
}  # fmt: skip
CHEMSEX_DRUGS = (("ghb",), ("ghb", "mephedrone"), ("ghb", "methamphetamine"), ("ghb", "alcohol"))
NATURAL = (
    ("1a Ischaemic heart disease", "Heart failure"),
    ("1a Chronic obstructive pulmonary disease", "COPD on home oxygen"),
    ("1a Metastatic carcinoma of the lung", "Lung cancer"),
    ("1a Bronchopneumonia 1b Frailty of old age", "Frailty"),
    ("1a Cerebrovascular accident", "Previous strokes"),
)
SUICIDE_CAUSES = {
    "hanging": "1a Hanging",
    "overdose": "1a Mixed drug toxicity",
    "railway": "1a Multiple injuries",
    "drowning": "1a Drowning",
}
SUDDEN = ("1a Sudden arrhythmic death syndrome", "1a Sudden unexpected death in epilepsy")


@dataclass(frozen=True)
class Spot:
    """A real place, at approximate coordinates (hostels are invented names)."""

    name: str
    latitude: float
    longitude: float
    place_type: PlaceType


@dataclass(frozen=True)
class Region:
    name: str
    towns: tuple[Spot, ...]  # where people live; the first is the main town
    districts: tuple[str, ...]  # postcode districts
    per_year: int  # police-attended sudden deaths a year (see the module doc)
    hostel: Spot
    station: Spot
    rivers: tuple[Spot, ...]
    hospitals: tuple[Spot, ...]
    organisation_phones: tuple[str, ...]  # the hostel's freephone and 03 numbers


def _spot(name: str, lat: float, lon: float, place: PlaceType) -> Spot:
    return Spot(name, lat, lon, place)


P = PlaceType
REGIONS: dict[str, Region] = {
    "east-london": Region(
        "east-london",
        towns=(
            _spot("Barking", 51.5394, 0.0807, P.HOME),
            _spot("Dagenham", 51.5448, 0.1655, P.HOME),
            _spot("East Ham", 51.5386, 0.0530, P.HOME),
            _spot("Ilford", 51.5590, 0.0741, P.HOME),
            _spot("Romford", 51.5750, 0.1830, P.HOME),
            _spot("Stratford", 51.5416, -0.0033, P.HOME),
        ),
        districts=("IG11", "RM8", "RM9", "RM10", "E6", "E13", "E15", "IG1", "RM1"),
        per_year=1040,
        hostel=_spot("Linton House hostel, Barking", 51.5405, 0.0790, P.HOSTEL),
        station=_spot("Barking station", 51.5396, 0.0810, P.RAILWAY),
        rivers=(
            _spot("River Roding at Town Quay, Barking", 51.5352, 0.0716, P.RIVER),
            _spot("Thames path, Royal Docks", 51.5005, 0.0600, P.RIVER),
        ),
        hospitals=(
            _spot("Queen's Hospital, Romford", 51.5688, 0.1797, P.HOSPITAL),
            _spot("Newham University Hospital", 51.5254, 0.0469, P.HOSPITAL),
        ),
        organisation_phones=("0808 157 0101", "0306 999 0101"),
    ),
    "suffolk": Region(
        "suffolk",
        towns=(
            _spot("Ipswich", 52.0567, 1.1482, P.HOME),
            _spot("Felixstowe", 51.9630, 1.3510, P.HOME),
            _spot("Woodbridge", 52.0940, 1.3180, P.HOME),
            _spot("Stowmarket", 52.1880, 0.9980, P.HOME),
            _spot("Hadleigh", 52.0440, 0.9540, P.HOME),
        ),
        districts=("IP1", "IP2", "IP3", "IP4", "IP5", "IP11", "IP12", "IP14", "IP7"),
        per_year=660,
        hostel=_spot("Chantry Lodge hostel, Ipswich", 52.0550, 1.1470, P.HOSTEL),
        station=_spot("Ipswich station", 52.0507, 1.1440, P.RAILWAY),
        rivers=(
            _spot("River Orwell at Ipswich Waterfront", 52.0520, 1.1600, P.RIVER),
            _spot("River Gipping at Sproughton", 52.0640, 1.1030, P.RIVER),
        ),
        hospitals=(_spot("Ipswich Hospital", 52.0600, 1.1930, P.HOSPITAL),),
        organisation_phones=("0808 157 0202", "0306 999 0202"),
    ),
    "stockport": Region(
        "stockport",
        towns=(
            _spot("Stockport", 53.4084, -2.1494, P.HOME),
            _spot("Hazel Grove", 53.3760, -2.1110, P.HOME),
            _spot("Bramhall", 53.3590, -2.1640, P.HOME),
            _spot("Cheadle", 53.3940, -2.2140, P.HOME),
            _spot("Marple", 53.3940, -2.0630, P.HOME),
        ),
        districts=("SK1", "SK2", "SK3", "SK4", "SK6", "SK7", "SK8"),
        per_year=440,
        hostel=_spot("Mersey View hostel, Stockport", 53.4100, -2.1560, P.HOSTEL),
        station=_spot("Stockport station", 53.4053, -2.1630, P.RAILWAY),
        rivers=(
            _spot("River Mersey at Stockport", 53.4130, -2.1600, P.RIVER),
            _spot("River Goyt at Marple", 53.3990, -2.0700, P.RIVER),
        ),
        hospitals=(_spot("Stepping Hill Hospital", 53.3843, -2.1316, P.HOSPITAL),),
        organisation_phones=("0808 157 0303", "0306 999 0303"),
    ),
}
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2)


@dataclass
class _Case:
    """One death as it is being drawn: the first report, later facts and persons."""

    rng: Random
    region: Region
    people: People
    at: datetime
    report: dict[str, Any] = dataclasses.field(default_factory=dict)
    updates: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    persons: list[Any] = dataclasses.field(default_factory=list)

    def near(self, spot: Spot, metres: float) -> tuple[float, float]:
        lat = spot.latitude + self.rng.uniform(-1, 1) * metres / 111_000
        lon = spot.longitude + self.rng.uniform(-1, 1) * metres / 69_000
        return round(lat, 5), round(lon, 5)

    def address(self) -> str:
        rng, town = self.rng, self.region.towns[0].name
        if self.rng.random() < 0.7:
            town = self.rng.choice(self.region.towns).name
        flat = f"Flat {rng.randint(1, 30)}, " if rng.random() < 0.35 else ""
        code = f"{rng.choice(self.region.districts)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"  # noqa: E501
        return f"{flat}{rng.randint(1, 240)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}, {town} {code}"  # noqa: E501

    def place(self, spot: Spot, metres: float, address: str | None = None) -> None:
        lat, lon = self.near(spot, metres)
        self.report["location"] = {
            "address": address or spot.name,
            "latitude": lat,
            "longitude": lon,
            "place_type": spot.place_type.value,
            "description": None if address else spot.name,
        }

    def at_home(self, home: str) -> None:
        self.place(self.rng.choice(self.region.towns), 2500, address=home)
        self.report["location"]["place_type"] = PlaceType.HOME.value

    def deceased(self, age: int, male: float, *, illness: bool, history: str | None = None) -> str:
        rng = self.rng
        sex = Sex.MALE if rng.random() < male else Sex.FEMALE
        name = names.full_name(rng, sex, age=age)
        home = self.address()
        self.report["deceased"] = {
            "identified": True,
            "name": name,
            "sex": sex.value,
            "age": age,
            "date_of_birth": date_of_birth(rng, age, self.at.date()).isoformat(),
            "home_address": home,
            "known_illness": illness,
            "medical_history": history,
        }
        return home

    def person(self, *roles: Role, statement: str, phone: float = 0.8, **kw: Any) -> Person:
        person = self.people.new(
            self._borough(), self.at.date(), address=self.address(), phone=phone, **kw
        )
        if self.rng.random() < 0.4:
            person = dataclasses.replace(person, address=None)
        self.add(person, *roles, statement=statement)
        return person

    def add(self, person: Person, *roles: Role, statement: str) -> None:
        self.persons.append(person.entry(self.rng, roles, statement=statement))

    def _borough(self) -> Borough:
        main = self.region.towns[0]
        return Borough(self.region.name, main.latitude, main.longitude, self.region.districts)

    def result(
        self, substances: tuple[str, ...], cause: str, *, days: tuple[int, int] = (21, 56)
    ) -> None:
        tox: dict[str, Any] = {"status": "confirmed"}
        if substances:
            tox["substances"] = list(substances)
        self.updates.append(
            {
                "known_at": (self.at + timedelta(days=self.rng.randint(*days))).isoformat(),
                "recorded_by": "lab",
                "report": {"toxicology": tox, "cause": {"status": "confirmed", "text": cause}},
            }
        )


def _natural_home(c: _Case) -> None:
    cause, history = c.rng.choice(NATURAL)
    home = c.deceased(c.rng.randint(65, 98), 0.45, illness=True, history=history)
    c.at_home(home)
    c.person(Role.NEXT_OF_KIN, Role.FINDER, statement="Found them in bed in the morning.")
    c.report["cause"] = {"status": "confirmed", "text": cause}


def _natural_institution(c: _Case) -> None:
    cause, history = c.rng.choice(NATURAL)
    c.deceased(c.rng.randint(60, 99), 0.45, illness=True, history=history)
    c.place(c.rng.choice(c.region.hospitals), 40)
    c.person(Role.NEXT_OF_KIN, statement="Was told by the ward; no concerns.")
    c.report["cause"] = {"status": "pending"}
    c.result((), cause, days=(7, 30))


def _sudden_young(c: _Case) -> None:
    home = c.deceased(c.rng.randint(18, 45), 0.6, illness=False)
    c.at_home(home)
    c.person(Role.NEXT_OF_KIN, Role.FINDER, statement="Went to wake them and they were cold.")
    c.result((), c.rng.choice(SUDDEN))


def _suicide(c: _Case) -> None:
    rng = c.rng
    home = c.deceased(max(16, min(90, round(rng.gauss(45, 15)))), 0.75, illness=False)
    how = rng.choice(("hanging", "overdose", "railway", "drowning"))
    if how in ("hanging", "overdose"):
        c.at_home(home)
        c.person(Role.NEXT_OF_KIN, Role.FINDER, statement="Came home and found them.")
    else:
        c.place(c.region.station if how == "railway" else rng.choice(c.region.rivers), 400)
        c.person(Role.FINDER, Role.CALLER, statement="Saw the body and called 999.")
        c.person(Role.NEXT_OF_KIN, statement="Had been low for months.")
    note = rng.random() < NOTE_IN_SUICIDES
    c.report["scene"] = {"note_present": note, "phone": "present"}
    if note:
        c.report["scene"]["note_description"] = "Handwritten note to the family"
    found = ("amitriptyline", "paracetamol") if how == "overdose" else ()
    c.result(found, SUICIDE_CAUSES[how])


def _heroin(c: _Case) -> tuple[str, ...]:
    rng = c.rng
    mix = rng.choices(tuple(HEROIN_MIX), weights=tuple(HEROIN_MIX.values()))[0]
    age = max(18, min(75, round(rng.gauss(*HEROIN_AGE))))
    c.deceased(age, HEROIN_MALE, illness=False, history="Known heroin use")
    return ("heroin", *mix)


def _drugs_home(c: _Case) -> None:
    found = _heroin(c)
    if c.rng.random() < 0.3:  # methadone or cocaine rather than heroin
        found = (c.rng.choice(("methadone", "cocaine")), *found[1:])
    c.at_home(c.report["deceased"]["home_address"])
    c.person(Role.FRIEND, Role.CALLER, statement="Had been using together the night before.")
    c.report["scene"] = {"drug_paraphernalia": True, "phone": "present"}
    c.result(found, f"1a Mixed drug toxicity ({', '.join(found)})")


def _rough_sleeper(c: _Case) -> None:
    rng = c.rng
    found = _heroin(c)
    c.report["deceased"]["home_address"] = c.region.hostel.name
    c.place(c.region.hostel if rng.random() < 0.6 else c.region.station, 250)
    staff = c.people.new(c._borough(), c.at.date(), phone=0.0)
    staff = dataclasses.replace(staff, phone=rng.choice(c.region.organisation_phones), address=None)
    c.add(staff, Role.CALLER, Role.FINDER, statement=f"Duty worker at {c.region.hostel.name}.")
    c.report["scene"] = {
        "drug_paraphernalia": rng.random() < 0.7,
        "phone": rng.choice(("present", "missing", "unknown")),
    }
    c.result(found, f"1a Heroin toxicity ({', '.join(found)})")


def _chemsex(c: _Case, circle: list[Person]) -> None:
    rng = c.rng
    home = c.deceased(max(20, min(60, round(rng.gauss(36, 8)))), 1.0, illness=False)
    # drug use goes in the circumstances: deceased.drug_use is withheld from the officer who
    # records the death (vigil.domain.masking.SENSITIVE_PATHS)
    c.report["circumstances"] = "Found at the end of a chemsex party; friends were present."
    if rng.random() < 0.6:
        c.at_home(home)
    else:
        c.at_home(c.address())
        c.report["location"]["place_type"] = PlaceType.OTHER_RESIDENCE.value
    friend = rng.choice(circle) if circle and rng.random() < 0.25 else None
    statement = "Was at the chill-out; he fell asleep and did not wake."
    if friend is None:
        friend = c.person(
            Role.FRIEND, Role.CALLER, statement=statement, sex=Sex.MALE, young=True, phone=1.0
        )
        circle.append(friend)
    else:
        c.add(friend, Role.FRIEND, Role.CALLER, statement=statement)
    c.person(Role.FRIEND, statement="Left before he collapsed.", sex=Sex.MALE, young=True)
    c.report["scene"] = {"drug_paraphernalia": True, "phone": "present"}
    found = rng.choice(CHEMSEX_DRUGS)
    c.result(found, f"1a {' and '.join(found).upper()} toxicity")


def _drowning(c: _Case) -> None:
    rng = c.rng
    # after a Friday or Saturday night out: found that night or the next morning
    c.at -= timedelta(days=(c.at.weekday() - 5) % 7 + (rng.random() < 0.5))
    c.at = c.at.replace(hour=rng.choice((0, 1, 2, 3, 7, 8)))
    c.deceased(rng.randint(18, 35), 0.85, illness=False)
    c.place(rng.choice(c.region.rivers), 600)
    c.person(Role.FRIEND, statement="Lost him on the way home from the pub.", young=True)
    c.person(Role.WITNESS, Role.CALLER, statement="Saw something in the water.")
    c.report["scene"] = {"phone": rng.choice(("missing", "present", "unknown"))}
    c.result(rng.choice((("alcohol",), ("alcohol",), ("alcohol", "cocaine"))), "1a Drowning")


def _accident(c: _Case) -> None:
    rng = c.rng
    if rng.random() < 0.6:
        home = c.deceased(rng.randint(65, 98), 0.5, illness=False)
        c.at_home(home)
        c.person(Role.NEXT_OF_KIN, Role.FINDER, statement="Found them at the foot of the stairs.")
        cause = "1a Head injury 1b Fall"
    else:
        c.deceased(rng.randint(18, 85), 0.65, illness=False)
        c.place(rng.choice(c.region.towns), 2000, address=f"{rng.choice(STREETS)} Road junction")
        c.report["location"]["place_type"] = PlaceType.STREET.value
        c.person(Role.WITNESS, Role.CALLER, statement="Saw the collision.")
        cause = "1a Multiple injuries 1b Road traffic collision"
    c.report["cause"] = {"status": "confirmed", "text": cause}


def _hypoglycaemia(c: _Case) -> None:
    home = c.deceased(
        c.rng.randint(40, 90), 0.55, illness=True, history="Type 1 diabetes on insulin"
    )
    c.at_home(home)
    c.person(Role.NEXT_OF_KIN, Role.FINDER, statement="Found them unresponsive in the morning.")
    c.result(("insulin",), "1a Hypoglycaemia 1b Insulin-treated diabetes mellitus")


BUILDERS: dict[Kind, Callable[[_Case], None]] = {
    Kind.NATURAL_HOME: _natural_home,
    Kind.NATURAL_INSTITUTION: _natural_institution,
    Kind.SUDDEN_YOUNG: _sudden_young,
    Kind.SUICIDE: _suicide,
    Kind.DRUGS_HOME: _drugs_home,
    Kind.ROUGH_SLEEPER: _rough_sleeper,
    Kind.DROWNING: _drowning,
    Kind.ACCIDENT: _accident,
    Kind.HYPOGLYCAEMIA: _hypoglycaemia,
}


def period_days(region: Region, count: int, min_days: int = 1) -> int:
    """How many days the region takes to have ``count`` police-attended deaths."""
    return max(min_days, round(count * 365 / region.per_year))


def generate_labelled(
    region: Region,
    count: int,
    seed: int,
    *,
    end: datetime,
    min_days: int = 1,
    taken_phones: Iterable[str] = (),
) -> Iterator[tuple[Kind, CaseRecord]]:
    """``count`` deaths in ``region`` in the days before ``end``, in time order, with their
    kinds (ground truth the records do not carry). ``taken_phones``: numbers of people
    elsewhere (a scenario mixed in), never given to the background's people."""
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = Random(f"vigil-background:{region.name}:{seed}")
    days = period_days(region, count, min_days)
    start = end.astimezone(UTC) - timedelta(days=days)
    kinds = rng.choices(tuple(MIX), weights=tuple(MIX.values()), k=count)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
    offsets = sorted(rng.randrange(days) * 86400 + h * 3600 + rng.randrange(3600) for h in hours)
    people = People(rng, seed, count, taken_phones)
    circle: list[Person] = []
    prefix = f"BG-{region.name.upper()}-S{seed}"
    drawn: list[tuple[Kind, CaseRecord]] = []
    for number, (kind, offset) in enumerate(zip(kinds, offsets, strict=True), start=1):
        case = _Case(rng, region, people, start + timedelta(seconds=offset))
        if kind is Kind.CHEMSEX:
            _chemsex(case, circle)
        else:
            BUILDERS[kind](case)
        found = case.at
        reported = found + timedelta(minutes=rng.randint(5, 40))
        report = {"found_at": found.isoformat(), "reported_at": reported.isoformat(), **case.report}
        report.setdefault("toxicology", {"status": "pending"} if case.updates else {})
        record = {
            "reference": f"{prefix}-{number:05d}",
            "known_at": reported.isoformat(),
            "recorded_by": "background",
            "report": report,
            "updates": case.updates,
            "persons": case.persons,
        }
        drawn.append((kind, CaseRecord.model_validate(record)))
    yield from sorted(drawn, key=lambda pair: pair[1].known_at or end)


def generate(
    region: Region,
    count: int,
    seed: int,
    *,
    end: datetime,
    min_days: int = 1,
    taken_phones: Iterable[str] = (),
) -> list[CaseRecord]:
    labelled = generate_labelled(
        region, count, seed, end=end, min_days=min_days, taken_phones=taken_phones
    )
    return [r for _, r in labelled]


def heroin_mix_from_ct(
    path: Path, years: tuple[str, ...] = ("2012", "2013", "2014")
) -> dict[str, Any]:
    """``HEROIN_MIX`` and the ages recomputed from the Connecticut file: the co-substances of
    heroin deaths in ``years`` (top ten combinations), the share of men, mean and sd of age."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Date"][6:10] in years]
    heroin = [r for r in rows if r["Heroin"].strip().upper() == "Y"]
    combos = Counter(
        tuple(sorted(name for flag, name in CT_FLAGS.items() if r[flag].strip().upper() == "Y"))
        for r in heroin
    )
    ages = [int(r["Age"]) for r in heroin if r["Age"].strip().isdigit()]
    return {
        "deaths": len(heroin),
        "mix": dict(combos.most_common(10)),
        "male": round(sum(r["Sex"] == "Male" for r in heroin) / len(heroin), 2),
        "age": (round(statistics.mean(ages), 1), round(statistics.pstdev(ages), 1)),
    }
