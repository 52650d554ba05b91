"""Synthetic people: stable refs, safe phone numbers, unique e-mails and home addresses.

Phone numbers come only from Ofcom's ranges reserved for drama (mobile 07700 900000-900999,
London 020 7946 0000-0999): 2,000 numbers in all. Each number is given to at most one person,
so a phone shared by two cases always means the same person; on large runs fewer people get a
phone rather than two people sharing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random

from vigil.demo import names, places
from vigil.demo.places import Borough
from vigil.domain.enums import IdentifierKind, Role, Sex
from vigil.domain.people import Identifier, PersonEntry

MOBILES: tuple[str, ...] = tuple(f"07700 900{n:03d}" for n in range(1000))
LANDLINES: tuple[str, ...] = tuple(f"020 7946 0{n:03d}" for n in range(1000))
# About how many people per case would be given a phone if numbers were unlimited.
_PHONES_PER_CASE = 2.2


def phone_variants(number: str) -> tuple[str, ...]:
    """The same number as people write it: '07700 900123', '07700900123', '+44 7700 900123'."""
    digits = number.replace(" ", "")
    international = f"+44 {number[1:]}"
    return (number, digits, international, f"+44{digits[1:]}")


def date_of_birth(rng: Random, age: int, on: date) -> date:
    """A birthday that makes someone ``age`` years old on ``on``."""
    birthday_this_year = on - timedelta(days=rng.randint(0, 364))
    try:
        return birthday_this_year.replace(year=birthday_this_year.year - age)
    except ValueError:  # 29 February
        return birthday_this_year.replace(year=birthday_this_year.year - age, day=28)


@dataclass(frozen=True)
class Person:
    """One synthetic person; the same object (so the same ref and identifiers) on every case."""

    ref: str
    name: str
    sex: Sex
    date_of_birth: date | None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    handle: str | None = None
    alias: str | None = None

    def entry(
        self,
        rng: Random,
        roles: tuple[Role, ...],
        *,
        statement: str | None = None,
        known_at: datetime | None = None,
    ) -> PersonEntry:
        """The person as they appear on one case; the phone is written as that officer wrote
        it, so normalisation, not string equality, is what links two cases."""
        ids: list[Identifier] = []
        if self.phone:
            written = self.phone if rng.random() < 0.7 else rng.choice(phone_variants(self.phone))
            ids.append(Identifier(kind=IdentifierKind.PHONE, value=written))
        if self.email:
            ids.append(Identifier(kind=IdentifierKind.EMAIL, value=self.email))
        if self.address:
            ids.append(Identifier(kind=IdentifierKind.ADDRESS, value=self.address))
        if self.handle:
            ids.append(Identifier(kind=IdentifierKind.HANDLE, value=self.handle))
        if self.alias:
            ids.append(Identifier(kind=IdentifierKind.ALIAS, value=self.alias))
        optional: dict[str, object] = {}
        if self.sex is not Sex.UNKNOWN:
            optional["sex"] = self.sex
        if self.date_of_birth:
            optional["date_of_birth"] = self.date_of_birth
        if ids:
            optional["identifiers"] = tuple(ids)
        if statement:
            optional["statement"] = statement
        if known_at:
            optional["known_at"] = known_at
        return PersonEntry.model_validate(
            {"ref": self.ref, "name": self.name, "roles": roles, **optional}
        )


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())[-10:]


class People:
    """Makes people for one run of the generator: refs ``P-{seed}-{n}``, each number once."""

    def __init__(
        self, rng: Random, seed: int, expected_cases: int, taken: Iterable[str] = ()
    ) -> None:
        """``taken``: numbers already given to people elsewhere (a scenario's, when a
        background is mixed with it), never given again (compared by their last ten digits)."""
        self._rng = rng
        self._seed = seed
        self._count = 0
        used = {_digits(n) for n in taken}
        mobiles = [n for n in MOBILES if _digits(n) not in used]
        landlines = [n for n in LANDLINES if _digits(n) not in used]
        rng.shuffle(mobiles)
        rng.shuffle(landlines)
        self._phones = landlines + mobiles  # popped from the end: mobiles first
        demand = _PHONES_PER_CASE * max(expected_cases, 1)
        self.phone_chance = min(1.0, 0.9 * len(self._phones) / demand)
        self._addresses: set[str] = set()

    def fresh_address(self, borough: Borough) -> str:
        """A home address no one else in this run has."""
        while True:
            candidate = places.address(self._rng, borough)
            if candidate not in self._addresses:
                self._addresses.add(candidate)
                return candidate

    def _phone(self, chance: float) -> str | None:
        if self._phones and self._rng.random() < chance:
            return self._phones.pop()
        return None

    def new(
        self,
        borough: Borough,
        on: date,
        *,
        ages: tuple[int, int] = (18, 80),
        sex: Sex | None = None,
        family: str | None = None,
        address: str | None = None,
        phone: float = 0.8,
        young: bool = False,
        scaled: bool = True,
    ) -> Person:
        """A new person. ``phone`` is the chance of a phone before scaling to the numbers
        left; ``young`` makes an online handle likelier; ``family`` is a shared surname."""
        rng = self._rng
        self._count += 1
        number = self._count
        sex = sex or (Sex.MALE if rng.random() < 0.5 else Sex.FEMALE)
        age = rng.randint(*ages)
        name = names.full_name(rng, sex, family, age)
        dob = date_of_birth(rng, age, on) if rng.random() < 0.6 else None
        if address is None and rng.random() < 0.6:
            address = self.fresh_address(borough)
        return Person(
            ref=f"P-{self._seed}-{number}",
            name=name,
            sex=sex,
            date_of_birth=dob,
            phone=self._phone(phone * self.phone_chance if scaled else phone),
            email=names.email(rng, name, number) if rng.random() < 0.3 else None,
            address=address,
            handle=names.handle(rng, number) if rng.random() < (0.35 if young else 0.05) else None,
            alias=names.nickname(rng) if rng.random() < (0.08 if young else 0.02) else None,
        )
