"""Command units from GeoJSON: a broken file is refused naming the feature and key, a point is
placed in the most specific unit whose outline holds it, and parents form chains.

All maps here are synthetic squares in degrees; GeoJSON puts longitude first, cases latitude.
"""

from __future__ import annotations

import json
import time
from random import Random
from typing import Any

import pytest

from vigil.domain.units import Unit, UnitMap, UnitMapError

Ring = list[list[float]]


def box(west: float, south: float, east: float, north: float) -> Ring:
    """A closed, counter-clockwise ring of lon/lat pairs."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(*rings: Ring) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(code: str, geometry: Any, parent: str | None = None, **props: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {"code": code, "name": f"{code} unit (test)", **props}
    if parent is not None:
        properties["parent"] = parent
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


# A force over two boroughs side by side, with room inside the force that no borough covers.
FORCE = feature("F", polygon(box(0, 51, 4, 53)))
WEST = feature("W", polygon(box(0, 51, 1, 52)), parent="F")
EAST = feature("E", polygon(box(1, 51, 2, 52)), parent="F")


def refused(data: Any) -> UnitMapError:
    with pytest.raises(UnitMapError) as caught:
        UnitMap.from_geojson(data)
    return caught.value


def with_feature_1(**changes: Any) -> dict[str, Any]:
    """The three-unit map with feature 1 (W) changed: its properties, or the whole feature."""
    changed = json.loads(json.dumps(WEST))
    for key, value in changes.items():
        if key in ("geometry", "type"):
            changed[key] = value
        elif value is ...:
            changed["properties"].pop(key)
        else:
            changed["properties"][key] = value
    return collection(FORCE, changed, EAST)


BOWTIE = polygon([[0, 51], [1, 52], [1, 51], [0, 52], [0, 51]])
PROJECTED = polygon(box(530000, 180000, 531000, 181000))  # British National Grid metres

CASES = [
    ("not json", "{not json", "", "the file is not JSON"),
    ("a feature", FORCE, "type", "not a GeoJSON FeatureCollection"),
    ("no features", collection(), "features", "has no features"),
    ("not a feature", collection(FORCE, {"type": "Point"}), "features[1]", "feature 1 is not a Feature"),
    ("no properties", collection(FORCE, {**WEST, "properties": None}), "features[1].properties", "feature 1 has no 'properties'"),
    ("no code", with_feature_1(code=...), "features[1].properties.code", "feature 1 has no 'code'"),
    ("blank code", with_feature_1(code="  "), "features[1].properties.code", "feature 1's 'code' is not a word"),
    ("number code", with_feature_1(code=7), "features[1].properties.code", "feature 1's 'code' is not a word"),
    ("no name", with_feature_1(name=...), "features[1].properties.name", "feature 1 has no 'name'"),
    ("number parent", with_feature_1(parent=3), "features[1].properties.parent", "feature 1's 'parent' is not a unit's code"),
    ("no geometry", with_feature_1(geometry=None), "features[1].geometry", "feature 1 has no geometry"),
    ("a point", with_feature_1(geometry={"type": "Point", "coordinates": [0.5, 51.5]}), "features[1].geometry", "feature 1's geometry is not a polygon"),
    ("short ring", with_feature_1(geometry=polygon([[0, 51], [1, 52]])), "features[1].geometry.coordinates", "feature 1's geometry has malformed coordinates"),
    ("no coordinates", with_feature_1(geometry={"type": "Polygon"}), "features[1].geometry.coordinates", "feature 1's geometry"),
    ("bow tie", with_feature_1(geometry=BOWTIE), "features[1].geometry.coordinates", "feature 1's geometry is not a valid polygon: Self-intersection"),
    ("projected", with_feature_1(geometry=PROJECTED), "features[1].geometry.coordinates", "feature 1's coordinates are not longitude and latitude"),
    ("same code", with_feature_1(code="E"), "features[2].properties.code", "two features share the code 'E' (features 1 and 2)"),
    ("lost parent", with_feature_1(parent="X"), "features[1].properties.parent", "unit 'W' names a parent 'X' that is not in the file"),
    ("own parent", with_feature_1(parent="W"), "features[1].properties.parent", "unit 'W' names itself as its parent"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "key", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_broken_file_is_refused_naming_the_key(data: Any, key: str, words: str) -> None:
    error = refused(data)
    assert error.key == key
    assert words in str(error)
    assert not error.others


def test_a_circle_of_parents_is_named_once() -> None:
    error = refused(
        collection(
            feature("A", polygon(box(0, 51, 1, 52)), parent="B"),
            feature("B", polygon(box(1, 51, 2, 52)), parent="C"),
            feature("C", polygon(box(2, 51, 3, 52)), parent="A"),
        )
    )
    assert error.reason == "the parents of units go round in a circle: 'A' -> 'B' -> 'C' -> 'A'"
    assert not error.others


def test_every_problem_is_reported_at_once_with_the_file_name() -> None:
    data = collection(FORCE, {**WEST, "geometry": None}, {**EAST, "properties": {"name": "E"}})
    with pytest.raises(UnitMapError) as caught:
        UnitMap.from_geojson(json.dumps(data), source="units.geojson")
    error = caught.value
    assert [p.key for p in (error, *error.others)] == [
        "features[1].geometry",
        "features[2].properties.code",
    ]
    assert str(error).splitlines() == [
        "units.geojson: feature 1 has no geometry",
        "units.geojson: feature 2 has no 'code'",
    ]


def test_text_is_read_like_parsed_json_and_other_properties_are_ignored() -> None:
    data = collection(
        FORCE,
        feature(" W ", WEST["geometry"], parent=" F", name="W unit (test) ", area_km2=12),
        EAST,
    )
    units = UnitMap.from_geojson(json.dumps(data))
    assert list(units) == [
        Unit("F", "F unit (test)"),
        Unit("W", "W unit (test)", "F"),
        Unit("E", "E unit (test)", "F"),
    ]
    assert "W" in units and "X" not in units and len(units) == 3


def test_a_point_goes_to_the_deepest_unit_that_holds_it() -> None:
    units = UnitMap.from_geojson(collection(FORCE, WEST, EAST))
    assert units.unit_at(51.5, 0.5) == units.get("W")
    assert units.unit_at(51.5, 1.5) == units.get("E")
    assert units.unit_at(52.5, 3.0) == units.get("F")  # in the force, in no borough
    assert units.unit_at(50.0, 0.5) is None  # south of everything
    assert units.unit_at(0.5, 51.5) is None  # latitude and longitude swapped


def test_a_point_on_a_shared_border_goes_to_the_unit_first_in_the_file() -> None:
    for order, first in (((FORCE, WEST, EAST), "W"), ((EAST, WEST, FORCE), "E")):
        units = UnitMap.from_geojson(collection(*order))
        assert units.unit_at(51.5, 1.0) == units.get(first)
        assert units.units_at([(51.5, 1.0)]) == [units.get(first)]


def test_a_unit_in_two_parts_holds_points_in_both_and_none_between() -> None:
    parts = {
        "type": "MultiPolygon",
        "coordinates": [[box(0, 51, 1, 52)], [box(3, 51, 4, 52)]],
    }
    units = UnitMap.from_geojson(collection(FORCE, feature("M", parts, parent="F")))
    placed = units.units_at([(51.5, 0.5), (51.5, 3.5)])
    assert [u.code if u else None for u in placed] == ["M", "M"]
    assert units.unit_at(51.5, 2.0) == units.get("F")


def test_a_hole_belongs_to_the_enclave_inside_it_or_else_to_the_parent() -> None:
    ring = polygon(box(0, 51, 3, 52), box(1, 51.25, 2, 51.75))
    enclave = feature("I", polygon(box(1, 51.25, 2, 51.75)), parent="F")
    units = UnitMap.from_geojson(collection(FORCE, feature("R", ring, parent="F"), enclave))
    assert units.unit_at(51.1, 0.5).code == "R"  # type: ignore[union-attr]
    assert units.unit_at(51.5, 1.5).code == "I"  # type: ignore[union-attr]
    bare = UnitMap.from_geojson(collection(FORCE, feature("R", ring, parent="F")))
    assert bare.unit_at(51.5, 1.5) == bare.get("F")


def test_a_point_that_is_not_degrees_is_refused() -> None:
    units = UnitMap.from_geojson(collection(FORCE, WEST))
    for lat, lon in ((95.0, 0.5), (51.5, 200.0), (float("nan"), 0.5)):
        with pytest.raises(ValueError, match="latitude, longitude"):
            units.unit_at(lat, lon)
    assert units.units_at([]) == []


def test_a_chain_runs_from_the_unit_up_to_the_force() -> None:
    units = UnitMap.from_geojson(
        collection(
            feature("B1", polygon(box(0, 51, 1, 52)), parent="AREA"),
            feature("AREA", polygon(box(0, 51, 2, 52)), parent="F"),
            FORCE,
        )
    )
    assert [u.code for u in units.chain("B1")] == ["B1", "AREA", "F"]
    assert [u.code for u in units.chain("AREA")] == ["AREA", "F"]
    assert units.chain("F") == (Unit("F", "F unit (test)"),)
    with pytest.raises(KeyError, match="no unit has the code 'X'"):
        units.chain("X")
    assert units.unit_at(51.5, 0.5) == units.get("B1")  # three deep beats two and one
    assert units.unit_at(51.5, 1.5) == units.get("AREA")


def test_many_points_are_placed_by_their_grid_square_quickly() -> None:
    """A 10 x 10 grid of 0.1-degree squares under a force: the right square for each point
    follows from arithmetic alone, so the answer is checked without shapely."""
    squares = [
        feature(f"G{i}{j}", polygon(box(i / 10, 51 + j / 10, (i + 1) / 10, 51 + (j + 1) / 10)), "F")
        for i in range(10)
        for j in range(10)
    ]
    units = UnitMap.from_geojson(collection(feature("F", polygon(box(-1, 50, 2, 53))), *squares))
    rng = Random(14)
    points = [(rng.uniform(50.5, 52.5), rng.uniform(-0.5, 1.5)) for _ in range(20_000)]
    started = time.perf_counter()
    placed = units.units_at(points)
    elapsed = time.perf_counter() - started

    def expected(lat: float, lon: float) -> str:
        if 51 < lat < 52 and 0 < lon < 1:
            return f"G{int(lon * 10)}{int((lat - 51) * 10)}"
        return "F"

    assert [u.code if u else None for u in placed] == [expected(*p) for p in points]
    assert {u.code for u in placed if u} >= {"F", "G00", "G99"}
    assert [units.unit_at(*p) for p in points[:2000]] == placed[:2000]
    # About 0.04 s on a development machine; the bound is loose so a busy one does not fail.
    assert elapsed < 2.0
