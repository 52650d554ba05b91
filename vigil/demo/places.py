"""Synthetic boroughs in London-area boxes, their fixed sites, and street addresses.

The borough and site names are invented; the coordinates are real-ish so that a map of the demo
looks like London. Sites (hospitals, care homes, parks, churchyards...) are the same for every
seed, as real places are; homes are drawn fresh for each person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from vigil.domain.enums import PlaceType
from vigil.domain.report import Location

STREETS: tuple[str, ...] = (
    "Elm", "Oak", "Ash", "Beech", "Cedar", "Chestnut", "Hawthorn", "Hazel", "Holly", "Larch",
    "Maple", "Poplar", "Rowan", "Sycamore", "Willow", "Albert", "Alexandra", "Balfour",
    "Clarence", "Denmark", "Eastfield", "Fairfield", "Gladstone", "Grange", "Hamilton", "Kingsley",
    "Lansdowne", "Manor", "Melbourne", "Milton", "Newland", "Orchard", "Palmerston", "Queens",
    "Salisbury", "Sheridan", "Tennyson", "Upton", "Vicarage", "Waverley", "Windsor", "Cromwell",
)  # fmt: skip
STREET_TYPES: tuple[str, ...] = (
    "Road", "Street", "Avenue", "Gardens", "Close", "Lane", "Grove", "Crescent", "Terrace", "Way",
)  # fmt: skip
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode's inward code may use
_CARE_HOMES = ("Elmhurst", "Rosewood", "Oakleigh", "Beechcroft", "Willowbank", "Hollybrook")
_PARKS = ("Mayfield", "Jubilee", "Greenway", "Coronation", "Fairlop", "Heathside")
_SAINTS = ("Anne", "Luke", "Mary", "John", "Peter", "Andrew", "Michael", "Paul", "Giles")


@dataclass(frozen=True)
class Site:
    name: str
    address: str
    latitude: float
    longitude: float
    place_type: PlaceType


@dataclass(frozen=True)
class Borough:
    name: str
    latitude: float
    longitude: float
    districts: tuple[str, ...]
    # Where this borough's public sites cluster (offset from the centre), if they do.
    hotspot: tuple[float, float] | None = None
    sites: dict[PlaceType, tuple[Site, ...]] = field(default_factory=dict, compare=False)

    @property
    def station(self) -> str:
        return f"{self.name} police station"


def postcode(rng: Random, borough: Borough) -> str:
    letters = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
    return f"{rng.choice(borough.districts)} {rng.randint(1, 9)}{letters}"


def street(rng: Random) -> str:
    return f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"


def address(rng: Random, borough: Borough, *, flat: bool | None = None) -> str:
    """'14 Elm Road, London E6 2AB', sometimes 'Flat 3, 14 Elm Road, London E6 2AB'."""
    flat = rng.random() < 0.25 if flat is None else flat
    prefix = f"Flat {rng.randint(1, 24)}, " if flat else ""
    return f"{prefix}{rng.randint(1, 240)} {street(rng)}, London {postcode(rng, borough)}"


def point(rng: Random, borough: Borough, spread: float = 1.0) -> tuple[float, float]:
    """A point in the borough: near the centre, rarely far out."""
    lat = borough.latitude + max(-0.03, min(0.03, rng.gauss(0, 0.010 * spread)))
    lon = borough.longitude + max(-0.045, min(0.045, rng.gauss(0, 0.016 * spread)))
    return round(lat, 5), round(lon, 5)


def near(rng: Random, site: Site, metres: float) -> tuple[float, float]:
    """A point within roughly ``metres`` of a site."""
    lat = site.latitude + rng.uniform(-1, 1) * metres / 111_000
    lon = site.longitude + rng.uniform(-1, 1) * metres / 69_000
    return round(lat, 5), round(lon, 5)


def site_location(rng: Random, site: Site, metres: float = 60.0) -> Location:
    lat, lon = near(rng, site, metres)
    return Location(
        address=site.address,
        latitude=lat,
        longitude=lon,
        place_type=site.place_type,
        description=site.name,
    )


def _site_names(rng: Random, borough: str) -> dict[PlaceType, tuple[str, ...]]:
    return {
        PlaceType.HOSPITAL: (f"{borough} General Hospital",),
        PlaceType.CARE_HOME: tuple(f"{n} Care Home" for n in rng.sample(_CARE_HOMES, 2)),
        PlaceType.PARK: tuple(f"{n} Park" for n in rng.sample(_PARKS, 2)),
        PlaceType.CHURCHYARD: (f"St {rng.choice(_SAINTS)}'s churchyard",),
        PlaceType.CEMETERY: (f"{borough} Cemetery",),
        PlaceType.RIVER: (f"{rng.choice(STREETS)} Wharf riverside path",),
        PlaceType.CANAL: (f"{rng.choice(STREETS)} Lock towpath",),
        PlaceType.STREET: (f"{borough} High Street", f"{rng.choice(STREETS)} Parade"),
        PlaceType.ALLEY: (f"Alley behind {rng.choice(STREETS)} Parade",),
        PlaceType.CAR_PARK: (f"{borough} multi-storey car park",),
        PlaceType.RAILWAY: (f"{borough} station approach",),
        PlaceType.HOSTEL: (f"{rng.choice(STREETS)} House hostel",),
        PlaceType.WOODLAND: (f"{rng.choice(_PARKS)} Wood",),
        PlaceType.LICENSED_PREMISES: (f"The {rng.choice(STREETS)} Arms",),
        PlaceType.COMMERCIAL: (f"{rng.choice(STREETS)} Trading Estate",),
    }


def _with_sites(borough: Borough) -> Borough:
    rng = Random(f"vigil-demo-sites:{borough.name}")
    sites: dict[PlaceType, tuple[Site, ...]] = {}
    for place_type, names in _site_names(rng, borough.name).items():
        made = []
        for name in names:
            if borough.hotspot and place_type in _HOTSPOT_TYPES:
                lat = borough.latitude + borough.hotspot[0] + rng.uniform(-0.002, 0.002)
                lon = borough.longitude + borough.hotspot[1] + rng.uniform(-0.003, 0.003)
            else:
                lat, lon = point(rng, borough, spread=1.3)
            road = name if place_type is PlaceType.STREET else street(rng)
            where = f"{name}, {road}" if place_type is not PlaceType.STREET else road
            made.append(
                Site(
                    name=name,
                    address=f"{where}, London {postcode(rng, borough)}",
                    latitude=round(lat, 5),
                    longitude=round(lon, 5),
                    place_type=place_type,
                )
            )
        sites[place_type] = tuple(made)
    return Borough(
        borough.name, borough.latitude, borough.longitude, borough.districts, borough.hotspot, sites
    )


_HOTSPOT_TYPES = (PlaceType.CHURCHYARD, PlaceType.PARK, PlaceType.STREET, PlaceType.ALLEY)

BOROUGHS: tuple[Borough, ...] = tuple(
    _with_sites(b)
    for b in (
        Borough("Eastmarsh", 51.5350, 0.0650, ("E6", "E12", "E13"), hotspot=(0.002, 0.008)),
        Borough("Highvale", 51.5530, -0.1000, ("N4", "N5", "N7")),
        Borough("Southmere", 51.4520, -0.0200, ("SE4", "SE6", "SE13")),
        Borough("Westcombe", 51.5090, -0.2300, ("W3", "W12")),
        Borough("Northgate", 51.5880, -0.0720, ("N15", "N17")),
        Borough("Riverside", 51.4780, -0.1850, ("SW6", "SW10")),
    )
)
# The borough where suspicious deaths cluster, as they did in one London borough in 2014-15.
HOTSPOT = BOROUGHS[0]


def site(rng: Random, borough: Borough, place_type: PlaceType) -> Site | None:
    choices = borough.sites.get(place_type)
    return rng.choice(choices) if choices else None
