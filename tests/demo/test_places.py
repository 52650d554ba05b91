"""Places: London-area coordinates, UK-looking postcodes, the domain's place types."""

from __future__ import annotations

import re
from collections import Counter

from vigil.demo.places import BOROUGHS, HOTSPOT
from vigil.domain.enums import PlaceType
from vigil.interchange.record import CaseRecord

POSTCODE = re.compile(r"\bLondon ([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9][ABD-HJLNP-UW-Z]{2})$")


def test_locations_are_in_london(records: list[CaseRecord]) -> None:
    for record in records:
        location = record.report.location
        assert location.latitude is not None and location.longitude is not None
        assert 51.38 <= location.latitude <= 51.65
        assert -0.30 <= location.longitude <= 0.15
        assert isinstance(location.place_type, PlaceType)
        assert location.address and POSTCODE.search(location.address), location.address


def test_addresses_have_uk_postcodes(records: list[CaseRecord]) -> None:
    for record in records:
        home = record.report.deceased.home_address
        if home:
            assert POSTCODE.search(home), home
        for person in record.persons:
            for identifier in person.identifiers:
                if identifier.kind.value == "address":
                    assert POSTCODE.search(identifier.value), identifier.value


def test_cases_cluster_in_boroughs(records: list[CaseRecord]) -> None:
    def nearest(lat: float, lon: float) -> str:
        return min(BOROUGHS, key=lambda b: (b.latitude - lat) ** 2 + (b.longitude - lon) ** 2).name

    counts = Counter(
        nearest(r.report.location.latitude or 0, r.report.location.longitude or 0) for r in records
    )
    assert set(counts) == {b.name for b in BOROUGHS}


def test_hotspot_sites_lie_within_a_few_hundred_metres() -> None:
    types = (PlaceType.CHURCHYARD, PlaceType.PARK, PlaceType.STREET, PlaceType.ALLEY)
    sites = [site for t in types for site in HOTSPOT.sites[t]]
    for a in sites:
        for b in sites:
            assert abs(a.latitude - b.latitude) * 111_000 < 600
            assert abs(a.longitude - b.longitude) * 69_000 < 800


def test_every_borough_has_the_sites_scenarios_need() -> None:
    for borough in BOROUGHS:
        for place_type in (PlaceType.HOSPITAL, PlaceType.CARE_HOME, PlaceType.CHURCHYARD):
            assert borough.sites[place_type]
