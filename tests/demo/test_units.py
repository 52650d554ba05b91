"""The demo's command units (``vigil/demo/units.geojson``): synthetic outlines that hold every
place the demo generator can put a death, each borough's in its own unit."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import box, shape

import vigil.demo
from vigil.demo.places import BOROUGHS, Borough
from vigil.domain.units import UnitMap
from vigil.interchange.record import CaseRecord

FILE = Path(vigil.demo.__file__).with_name("units.geojson")
# How far from its borough's centre ``places.point`` may put a point (its clamps, in degrees),
# and how far from a site ``places.near`` may (the largest distance a scenario asks, 80 m).
CLAMP_LAT, CLAMP_LON = 0.03, 0.045
NEAR_LAT, NEAR_LON = 80 / 111_000, 80 / 69_000
DISTRICT = re.compile(r"London ([A-Z]{1,2}[0-9][A-Z0-9]?) [0-9][A-Z]{2}$")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def units(document: dict[str, Any]) -> UnitMap:
    return UnitMap.from_geojson(document, source=FILE.name)


@pytest.fixture(scope="module")
def outlines(document: dict[str, Any]) -> dict[str, Any]:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in document["features"]}


def unit_of(units: UnitMap, borough: Borough) -> str:
    (code,) = [u.code for u in units if u.name == f"{borough.name} (demo outline)"]
    return code


def test_the_file_says_it_is_synthetic(document: dict[str, Any], units: UnitMap) -> None:
    assert "SYNTHETIC" in document["description"]
    assert "not real" in document["description"]
    assert all(unit.name.endswith("(demo outline)") for unit in units)


def test_each_borough_is_a_unit_under_the_force(units: UnitMap) -> None:
    force = units.get("MET")
    assert force.parent is None
    codes = [unit_of(units, borough) for borough in BOROUGHS]
    assert sorted(codes) == sorted(u.code for u in units if u.code != "MET")
    assert all(units.chain(code)[1:] == (force,) for code in codes)


def test_boroughs_do_not_overlap_and_lie_inside_the_force(outlines: dict[str, Any]) -> None:
    force = outlines.pop("MET")
    for code, outline in outlines.items():
        assert force.contains(outline), code
        for other, second in outlines.items():
            if other != code:
                assert outline.intersection(second).area == 0, (code, other)


def test_every_place_the_generator_can_reach_is_in_a_borough_unit(
    units: UnitMap, outlines: dict[str, Any]
) -> None:
    """Exhaustive, not sampled: the boxes ``places.point`` and ``places.near`` can reach, for
    every seed, are covered by the boroughs' outlines."""
    boroughs = shapely.union_all([o for code, o in outlines.items() if code != "MET"])
    for borough in BOROUGHS:
        lat, lon = borough.latitude, borough.longitude
        reach = [box(lon - CLAMP_LON, lat - CLAMP_LAT, lon + CLAMP_LON, lat + CLAMP_LAT)]
        for sites in borough.sites.values():
            for s in sites:
                reach.append(
                    box(
                        s.longitude - NEAR_LON,
                        s.latitude - NEAR_LAT,
                        s.longitude + NEAR_LON,
                        s.latitude + NEAR_LAT,
                    )
                )
        assert boroughs.covers(shapely.union_all(reach)), borough.name


def test_each_borough_holds_its_own_centre(units: UnitMap) -> None:
    centres = [(borough.latitude, borough.longitude) for borough in BOROUGHS]
    placed = [u.code if u else None for u in units.units_at(centres)]
    assert placed == [unit_of(units, borough) for borough in BOROUGHS]


def test_every_demo_case_is_in_a_borough_unit_mostly_its_own(
    units: UnitMap, records: list[CaseRecord]
) -> None:
    """Every case lands in a borough unit, not just the force. Which borough drew a case shows
    in its address's postcode district. The generator's Highvale and Northgate share ground
    (their fixed sites interleave, and Westcombe's and Riverside's touch), so no outline of a
    few vertices can give every case its own borough: the border is drawn halfway between
    their centres, which leaves about one case in twenty in the neighbour."""
    by_district = {d: unit_of(units, b) for b in BOROUGHS for d in b.districts}
    locations = [record.report.location for record in records]
    placed = units.units_at([(loc.latitude or 0.0, loc.longitude or 0.0) for loc in locations])
    assert all(unit is not None and unit.code != "MET" for unit in placed)
    own = 0
    for location, unit in zip(locations, placed, strict=True):
        match = DISTRICT.search(location.address or "")
        assert match, location.address
        own += unit is not None and unit.code == by_district[match.group(1)]
    assert own / len(records) >= 0.9
