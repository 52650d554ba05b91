"""Synthetic linkage profile rows with planted series, for benchmarks and tests (not real data).

``generate(n, seed)`` gives ``n`` background deaths spread over a few cities and several years
(the number of cities grows with ``n`` so that density stays that of a real city), plus planted
series of three strengths:

- strong: one small area (a few hundred metres), weeks apart, one rare substance, the same
  phone on most cases, similar victims, scene features more often;
- medium: one neighbourhood (about half a kilometre), weeks to months apart, one substance
  (rare or common), similar victims and often the same kind of place, no identifier;
- weak: one rare substance, a few kilometres and months apart, victims of the same sex,
  nothing else in common.

The background has what makes false links: hot spots (a park, a market), sites where deaths
recur at the very same spot over years (a hostel, a care home), organisations' numbers on many
cases, common, uncommon (1-4%) and rare substances, common and rare first names, names in
free text.

A weak series always shares a rare substance (the review of past GHB deaths is such a search).
An earlier version also planted weak series of a common substance a few kilometres and months
apart with nothing else in common: such a 'series' is indistinguishable from the background
deaths by construction, so it measured the generator rather than any linker.

Every rate and spread is drawn from the seed, so two seeds are two different worlds: a model
trained on one seed and measured on another has not been tuned on the data it is measured on.
Rows come annotated with their scoring columns from the frequencies of the whole synthetic
store (``frequency.Frequencies.of_rows``), as a batch link of a store annotates them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import pyarrow.parquet as pq

from vigil.linkage import engines
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import identifier_key


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COMMON = _words("heroin cocaine alcohol methadone diazepam")
RARE = _words("ghb ketamine fentanyl nitazene xylazine zopiclone mephedrone carfentanil")
UNCOMMON = _words("pregabalin tramadol mirtazapine")  # in 1% to 4% of deaths
PLACES = _words(
    "home home home home street other_residence hostel park churchyard river car_park "
    "commercial licensed_premises alley"
)
FIRST = _words(
    "adam alex ben chris dan david james john kai lee mark mo paul ryan sam tom anna emma jo "
    "kate lucy sara amir ali jan piotr tomasz oliver jack harry noah leo"
)
LAST = _words(
    "smith jones taylor brown williams wilson johnson davies patel khan walker wright thompson "
    "white hughes edwards green hall wood harris martin jackson clarke lewis kowalski "
    "nowak"
)
# surnames of the long tail are three syllables, one from each list
_SYLLABLES = (
    _words(
        "ab bar cal dor el fen gar hol ist jar kel lin mor nel or pen quin ros sal tor ul van wil "
        "yor"
    ),
    _words("an ber ca di en fo gi ha is ko la mi no pa ri so ta vi we zo"),
    _words("ton ley son ford field wick by ham well ski ez ic ov er man worth"),
)
STRENGTHS = ("strong", "medium", "weak")


@dataclass(frozen=True)
class Synthetic:
    rows: list[dict[str, Any]]
    series: dict[str, str]  # unique_id -> series id, for planted cases only
    strength: dict[str, str] = field(default_factory=dict)  # series id -> strength

    def true_pairs(self, *strengths: str) -> set[tuple[str, str]]:
        """Pairs of cases in the same planted series (ids ordered), optionally by strength."""
        members: dict[str, list[str]] = {}
        for uid, sid in self.series.items():
            if not strengths or self.strength[sid] in strengths:
                members.setdefault(sid, []).append(uid)
        return {
            (a, b) if a < b else (b, a) for ids in members.values() for a, b in combinations(ids, 2)
        }


@dataclass(frozen=True)
class _City:
    lat: float
    lon: float
    radius: float  # degrees of latitude
    hotspots: tuple[tuple[float, float, float], ...]  # lat, lon, spread in degrees
    sites: tuple[tuple[float, float, str], ...]  # a hostel, a block of flats: lat, lon, place
    index: int
    streets: tuple[str, ...]


class _World:
    """The seed's parameters: cities, period, rates."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.years = rng.randint(3, 8)
        self.start = rng.randint(14_000, 18_000)  # days since 1970 (2008 - 2019)
        per_city_year = rng.uniform(300, 1500)
        count = max(3, math.ceil(n / (self.years * per_city_year)))
        # the land grows with the number of cities (about 1.5 per square degree, as in
        # England), so a region's density does not grow with n
        self.side = max(3.0, math.sqrt(count / 1.5))
        self.weights = [rng.lognormvariate(0, 0.8) for _ in range(count)]
        expected = [n * w / sum(self.weights) for w in self.weights]
        self.cities = [self._city(i, cases) for i, cases in enumerate(expected)]
        # numbers that turn up on several unrelated cases (a hostel, a pharmacy, a taxi firm):
        # one per ~200 cases of the city, each on ~2% of them
        self.hubs = [max(1, round(cases / 200)) for cases in expected]
        self.common = {s: rng.uniform(0.08, 0.4) for s in COMMON}
        self.rare = {s: rng.uniform(0.0005, 0.008) for s in RARE}
        self.uncommon = {s: rng.uniform(0.01, 0.04) for s in UNCOMMON}
        self.scene = {c: rng.uniform(0.02, 0.1) for c in ("moved", "phone_missing", "note_present")}
        self.hotspot_share = rng.uniform(0.15, 0.45)
        # deaths at the very same spot years apart: hostels, care homes, blocks of flats
        self.site_share = rng.uniform(0.03, 0.12)

    def _city(self, index: int, cases: float) -> _City:
        """A city; about one hot spot (a hostel, a park, a market) per 150 of its cases."""
        rng = self.rng
        lat = rng.uniform(52.0 - self.side / 2, 52.0 + self.side / 2)
        lon = rng.uniform(-1.0 - self.side * 0.8, -1.0 + self.side * 0.8)
        radius = rng.uniform(0.05, 0.2)
        hotspots = tuple(
            (rng.gauss(lat, radius / 2), rng.gauss(lon, radius * 0.8), rng.uniform(0.003, 0.01))
            for _ in range(max(10, round(cases / 150)))
        )
        streets = tuple(
            f"{rng.choice(LAST)} {rng.choice(('road', 'street', 'lane', 'close'))}"
            for _ in range(80)
        )
        sites = tuple(
            (
                rng.gauss(lat, radius / 2),
                rng.gauss(lon, radius),
                rng.choice(("hostel", "care_home", "other_residence", "home")),
            )
            for _ in range(max(3, round(cases / 300)))
        )
        return _City(lat, lon, radius, hotspots, sites, index, streets)

    def point(self, city: _City) -> tuple[float, float]:
        if self.rng.random() < self.hotspot_share:
            lat, lon, spread = self.rng.choice(city.hotspots)
            return self.rng.gauss(lat, spread), self.rng.gauss(lon, spread * 1.6)
        return self.rng.gauss(city.lat, city.radius / 2), self.rng.gauss(city.lon, city.radius)


def _phone(rng: random.Random) -> str:
    return identifier_key("phone", f"+447{rng.randrange(10**9):09d}")


def _first(rng: random.Random) -> str:
    """First names: most from a few common ones, a quarter from a long tail."""
    if rng.random() < 0.75:
        return rng.choice(FIRST)
    return f"{rng.choice(_SYLLABLES[0])}{rng.choice(_SYLLABLES[1])}{rng.choice('aoiel')}"


def _name(rng: random.Random) -> str:
    """Surnames: a few common ones, most from a long tail (as in a real population)."""
    if rng.random() < 0.1:
        return f"{_first(rng)} {rng.choice(LAST)}"
    return (
        f"{_first(rng)} {rng.choice(_SYLLABLES[0])}{rng.choice(_SYLLABLES[1])}"
        f"{rng.choice(_SYLLABLES[2])}"
    )


def _background(world: _World, uid: str) -> dict[str, Any]:
    rng = world.rng
    city = rng.choices(world.cities, world.weights)[0]
    lat, lon = world.point(city)
    known = rng.random() > 0.02
    minute = int(rng.gauss(420, 200)) % 1440 if rng.random() < 0.6 else rng.randrange(1440)
    substances = [s for s, p in world.common.items() if rng.random() < p]
    substances += [s for s, p in world.rare.items() if rng.random() < p]
    substances += [s for s, p in world.uncommon.items() if rng.random() < p]
    name, caller = _name(rng), _name(rng)
    identifiers = [f"name:{name}", f"name:{caller}", _phone(rng)]
    if rng.random() < 0.02:
        identifiers.append(
            identifier_key(
                "phone", f"+44800{city.index:03d}{rng.randrange(world.hubs[city.index]):04d}"
            )
        )
    if rng.random() < 0.5:
        street = rng.choice(city.streets)
        identifiers.append(f"address:{rng.randint(1, 200)} {street} c{city.index}")
    age = int(min(90, max(15, rng.gauss(42, 13))))
    place = rng.choice(PLACES) if rng.random() > 0.03 else None
    if rng.random() < world.site_share:  # within about 20 m of the site
        lat, lon, place = rng.choice(city.sites)
        lat, lon = rng.gauss(lat, 0.0002), rng.gauss(lon, 0.0003)
    return {
        "unique_id": uid,
        "found_day": world.start + rng.randrange(world.years * 365),
        "found_minute": minute if rng.random() > 0.1 else None,
        "latitude": round(lat, 6) if known else None,
        "longitude": round(lon, 6) if known else None,
        "place_type": place,
        "sex": rng.choices(("male", "female", None), (0.72, 0.27, 0.01))[0],
        "age": age if rng.random() > 0.03 else None,
        "substances": substances,
        "moved": True if rng.random() < world.scene["moved"] else None,
        "phone_missing": True if rng.random() < world.scene["phone_missing"] else None,
        "note_present": True if rng.random() < world.scene["note_present"] else None,
        "identifiers": identifiers,
        "names": [name, caller],
        "text_names": [_name(rng)] if rng.random() < 0.1 else [],
        "text_first_names": [_first(rng)] if rng.random() < 0.1 else [],
    }


def _plant(world: _World, strength: str, uids: list[str]) -> list[dict[str, Any]]:
    """One offender's series: victims drawn near one place, time, drug and victim type."""
    rng = world.rng
    city = rng.choice(world.cities)
    lat0, lon0 = world.point(city)
    spread_km = {"strong": 0.3, "medium": 0.5, "weak": 2.0}[strength]
    gap = {"strong": (7, 60), "medium": (14, 120), "weak": (30, 240)}[strength]
    rare = strength != "medium" or rng.random() < 0.5
    drug = rng.choice(RARE if rare else COMMON)
    sex = rng.choices(("male", "female"), (0.8, 0.2))[0]
    age0, minute0 = rng.randint(18, 45), rng.randrange(1440)
    offender, phone = _name(rng), _phone(rng)
    place = rng.choice(PLACES)
    day = world.start + rng.randrange(max(1, world.years * 365 - 400))
    rows = []
    for uid in uids:
        row = _background(world, uid)
        deg = spread_km / 111.0
        row["latitude"] = round(rng.gauss(lat0, deg), 6)
        row["longitude"] = round(rng.gauss(lon0, deg * 1.6), 6)
        row["found_day"] = day
        day += rng.randint(*gap)
        row["substances"] = sorted({drug, *row["substances"]})
        row["sex"] = sex if rng.random() < 0.95 else row["sex"]
        if strength == "weak":
            rows.append(row)
            continue
        row["age"] = age0 + rng.randint(-4, 4) if strength == "strong" else row["age"]
        row["found_minute"] = int(rng.gauss(minute0, 90 if strength == "strong" else 180)) % 1440
        row["place_type"] = place if rng.random() < 0.6 else row["place_type"]
        if strength == "strong":
            row["identifiers"].append(phone)
            row["phone_missing"] = True if rng.random() < 0.6 else row["phone_missing"]
            row["moved"] = True if rng.random() < 0.4 else row["moved"]
            if rng.random() < 0.3:
                row["names"].append(offender)
            elif rng.random() < 0.3:
                row["text_names"] = [offender]
            elif rng.random() < 0.2:
                row["text_first_names"] = [offender.split()[0]]
        rows.append(row)
    return rows


def generate(n: int, seed: int, series: int | None = None) -> Synthetic:
    """``n`` background profile rows plus planted series (about one per 1,000 rows, at least
    six), with the true series of each planted row."""
    rng = random.Random(seed)
    world = _World(rng, n)
    rows = [_background(world, f"S{seed}-{i:07d}") for i in range(n)]
    count = series if series is not None else max(6, round(n * rng.uniform(0.0005, 0.0015)))
    members: dict[str, str] = {}
    strength: dict[str, str] = {}
    for k in range(count):
        kind = STRENGTHS[k % 3]
        size = rng.randint(3, 6) if kind == "strong" else rng.randint(2, 5)
        sid = f"series-{seed}-{k}"
        strength[sid] = kind
        uids = [f"S{seed}-{len(rows) + j:07d}" for j in range(size)]
        rows += _plant(world, kind, uids)
        members.update(dict.fromkeys(uids, sid))
    for row in rows:
        row["substances"] = sorted(set(row["substances"]))
        row["identifiers"] = sorted(set(row["identifiers"]))
        row["names"] = sorted(set(row["names"]))
        row["first_names"] = sorted({n.split()[0] for n in row["names"]})
        row["text_names"] = sorted(set(row["text_names"]) - set(row["names"]))
        own = {word for name in row["names"] for word in name.split()}
        row["text_first_names"] = sorted(set(row["text_first_names"]) - own)
    frequencies = Frequencies.of_rows(rows)
    columns = engines.SCORED_COLUMNS
    annotated = [{c: full[c] for c in columns} for full in map(frequencies.annotate, rows)]
    return Synthetic(annotated, members, strength)


def write_parquet(n: int, seed: int, path: str) -> int:
    """Write ``generate(n, seed)``'s rows to a Parquet file (for benchmarks); returns rows."""
    data = generate(n, seed)
    pq.write_table(engines.table(data.rows), path)
    return len(data.rows)
