"""The server-drawn pictures of the store screens: the units' map and the CUSUM chart."""

from __future__ import annotations

import json

import pytest

from vigil.oversight import cusum_plot, unit_map

EAST = [[0.0, 51.45], [0.2, 51.45], [0.2, 51.6], [0.0, 51.6], [0.0, 51.45]]
WEST = [[-0.2, 51.45], [0.0, 51.45], [0.0, 51.6], [-0.2, 51.6], [-0.2, 51.45]]


def outline(square) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [square]})


def test_each_group_is_a_circle_inside_its_unit_its_area_by_its_count():
    drawn = unit_map.draw(
        {"EA": ("East", outline(EAST)), "WA": ("West", outline(WEST))},
        [
            unit_map.Marker("EA", "East: 4", 4),
            unit_map.Marker("WA", "West: 1", 1),
            unit_map.Marker("XX", "No boundary", 2),
        ],
    )
    assert [a.unit for a in drawn.areas] == ["EA", "WA"]
    assert [m.unit for m in drawn.unplaced] == ["XX"]
    east, west = sorted(drawn.circles, key=lambda c: c.unit)
    assert east.cx > west.cx  # east is drawn to the right
    assert east.r == pytest.approx(2 * west.r, abs=0.1)  # four times the area
    assert drawn.areas[0].path.startswith("M") and drawn.areas[0].path.endswith("Z")


def test_a_unit_with_no_readable_boundary_draws_nothing_and_says_so():
    drawn = unit_map.draw({"EA": ("East", "not json")}, [unit_map.Marker("EA", "East", 1)])
    assert drawn.areas == () and [m.unit for m in drawn.unplaced] == ["EA"]


def test_the_chart_holds_the_threshold_and_marks_the_months_above_it():
    drawn = cusum_plot.plot(["Jan", "Feb", "Mar"], [0.0, 3.0, 6.0], 5.0)
    assert drawn.bottom > drawn.threshold_y > drawn.top  # y grows downwards
    assert [p.above for p in drawn.points] == [False, False, True]
    assert drawn.points[0].y == drawn.bottom and drawn.points[-1].x == drawn.right
    assert drawn.polyline.count(",") == 3
