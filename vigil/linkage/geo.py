"""Distance between two points on the earth, computed as Splink's SQL computes it.

Splink's ``DistanceInKMLevel`` (``splink/internals/comparison_level_sql.py``) uses the
spherical law of cosines on a sphere of radius 6371 km, clips the cosine to [-1, 1] and casts
the result to ``float`` (single precision in DuckDB and Spark). :func:`great_circle_km` does the
same, the cast included, so the Python level of a pair is the level Splink gives it even when
the pair is a hair's breadth from a threshold.
"""

from __future__ import annotations

import math
import struct

EARTH_RADIUS_KM = 6371.0

_COSINE_SQL = (
    "sin(radians(latitude_l)) * sin(radians(latitude_r)) + cos(radians(latitude_l))"
    " * cos(radians(latitude_r)) * cos(radians(longitude_r - longitude_l))"
)
# The same distance in SQL (DuckDB; sqlglot transpiles it), as Splink's library writes it.
KM_SQL = (
    f"cast(acos(case when ({_COSINE_SQL}) > 1 then 1 when ({_COSINE_SQL}) < -1 then -1"
    f" else ({_COSINE_SQL}) end) * {EARTH_RADIUS_KM:g} as float)"
)


def as_float32(value: float) -> float:
    """``value`` rounded to single precision, as SQL's ``cast(x as float)`` rounds it."""
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def great_circle_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Great-circle distance in km: ``acos(clip(sin φa sin φb + cos φa cos φb cos(λb - λa)))
    * 6371``, rounded to single precision like Splink's SQL."""
    cosine = math.sin(math.radians(lat_a)) * math.sin(math.radians(lat_b)) + math.cos(
        math.radians(lat_a)
    ) * math.cos(math.radians(lat_b)) * math.cos(math.radians(lon_b - lon_a))
    cosine = min(1.0, max(-1.0, cosine))
    return as_float32(math.acos(cosine) * EARTH_RADIUS_KM)


def describe_km(km: float) -> str:
    """A distance as an inspector says it: '40 m', '350 m', '2.3 km', '310 km'."""
    metres = km * 1000
    if metres < 100:
        return f"{round(metres)} m"
    if metres < 995:
        return f"{round(metres, -1):.0f} m"
    if km < 9.95:
        return f"{km:.1f} km"
    return f"{round(km)} km"
