"""Small lists of common names for synthetic people, and the names that must never appear.

Every person the demo generator makes is fictional. The names of the four young men who died in
Barking in 2014-2015, and of the man convicted of their murders, are excluded outright so that
no generated record can be mistaken for theirs.
"""

from __future__ import annotations

from random import Random

from vigil.domain.enums import Sex

# Never used, whatever the lists below say (checked at import and by the tests).
FORBIDDEN_SURNAMES: tuple[str, ...] = ("Kovari", "Whitworth", "Taylor", "Walgate", "Port")
FORBIDDEN_GIVEN_NAMES: tuple[str, ...] = ("Anthony", "Gabriel", "Daniel", "Jack", "Stephen")
FORBIDDEN_NAMES: tuple[str, ...] = FORBIDDEN_SURNAMES + FORBIDDEN_GIVEN_NAMES

# Given names by generation: people born before about 1955, and after.
MALE_NAMES: tuple[str, ...] = (
    "James", "David", "Michael", "Paul", "Mark", "Andrew", "Richard", "Robert", "Christopher",
    "Matthew", "Simon", "Thomas", "Adam", "Lee", "Gary", "Kevin", "Ian", "Martin", "Neil",
    "Craig", "Ryan", "Luke", "Samuel", "Joshua", "Oliver", "Callum", "Liam", "Connor",
    "Mohammed", "Ahmed", "Tomasz", "Piotr", "Ricardo", "Kwame", "Emeka", "Arjun", "Ravi",
)  # fmt: skip
FEMALE_NAMES: tuple[str, ...] = (
    "Sarah", "Emma", "Claire", "Laura", "Rebecca", "Rachel", "Nicola", "Helen", "Karen", "Lisa",
    "Michelle", "Amy", "Hannah", "Sophie", "Chloe", "Jessica", "Charlotte", "Lucy", "Natalie",
    "Fatima", "Aisha", "Priya", "Anna", "Agnieszka", "Maria", "Grace", "Blessing", "Chioma",
)  # fmt: skip
OLDER_MALE_NAMES: tuple[str, ...] = (
    "George", "Harry", "Alfred", "Ernest", "Leonard", "Frank", "Ronald", "Kenneth", "Dennis",
    "Peter", "John", "Albert", "Arthur", "Stanley", "Norman", "Derek", "Roy", "Brian", "Gurdev",
)  # fmt: skip
OLDER_FEMALE_NAMES: tuple[str, ...] = (
    "Margaret", "Joan", "Dorothy", "Irene", "Betty", "Patricia", "Sheila", "Doreen", "Eileen",
    "Jean", "Mary", "Barbara", "Joyce", "Audrey", "Elsie", "Vera", "Winifred", "Kamala",
)  # fmt: skip
SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green",
    "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan",
    "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett",
    "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins",
    "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
    "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell",
    "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen",
    "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker",
    "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Nowak", "Kowalski", "Okafor",
    "Mensah", "Silva", "Costa", "Ahmed", "Rahman", "Osei", "Ibrahim", "Sharma", "Chen", "Nguyen",
)  # fmt: skip
NICKNAMES: tuple[str, ...] = (
    "Smudge", "Tiny", "Scouse", "Red", "Big Mo", "Jonno", "Dutch", "Taff", "Nobby", "Sparky",
    "Ginge", "Bez", "Lofty", "Mac", "Chalky", "Dusty", "Spike", "Frenchie", "Kiwi", "Ozzy",
)  # fmt: skip
HANDLE_WORDS: tuple[str, ...] = (
    "blue", "north", "quiet", "lucky", "silver", "night", "river", "urban", "gym", "pixel",
    "fox", "wolf", "bear", "otter", "cub", "runner", "rider", "boy", "guy", "lad", "star",
)  # fmt: skip

_FORBIDDEN_LOWER = frozenset(name.lower() for name in FORBIDDEN_NAMES)


def _check_lists() -> None:
    for listed in (
        MALE_NAMES,
        FEMALE_NAMES,
        OLDER_MALE_NAMES,
        OLDER_FEMALE_NAMES,
        SURNAMES,
        NICKNAMES,
    ):
        for name in listed:
            if _FORBIDDEN_LOWER.intersection(name.lower().split()):
                raise RuntimeError(f"forbidden name in the demo name lists: {name}")


_check_lists()


def given_name(rng: Random, sex: Sex, age: int = 40) -> str:
    """A given name common for someone of that sex and age (in the 2010s)."""
    if sex is Sex.UNKNOWN:
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    if age >= 60:
        return rng.choice(OLDER_MALE_NAMES if sex is Sex.MALE else OLDER_FEMALE_NAMES)
    return rng.choice(MALE_NAMES if sex is Sex.MALE else FEMALE_NAMES)


def surname(rng: Random) -> str:
    return rng.choice(SURNAMES)


def full_name(rng: Random, sex: Sex, family: str | None = None, age: int = 40) -> str:
    return f"{given_name(rng, sex, age)} {family or surname(rng)}"


def email(rng: Random, name: str, number: int) -> str:
    """A unique address at a reserved example domain (RFC 2606)."""
    given, _, family = name.partition(" ")
    domain = "example.com" if rng.random() < 0.7 else "example.org"
    local = f"{given}.{family}" if rng.random() < 0.5 else f"{given[0]}{family}"
    return f"{local.lower().replace(' ', '')}{number}@{domain}"


def handle(rng: Random, number: int) -> str:
    """A unique online handle such as '@quietfox_417'."""
    return f"@{rng.choice(HANDLE_WORDS)}{rng.choice(HANDLE_WORDS)}_{number}"


def nickname(rng: Random) -> str:
    return rng.choice(NICKNAMES)
