"""Pair features: what linkage compares between two cases, and how.

Each feature is one Splink comparison whose ``output_column_name`` is the feature's ``name``.
Its ``compare`` is the reference implementation in plain Python on two profile rows (see
``vigil.linkage.profile.COLUMNS``): the comparison level, the value compared and a phrase saying
what was compared. Splink must give every pair the same level, so each feature also carries its
levels as SQL (DuckDB, Splink's ``col_l``/``col_r`` names; sqlglot transpiles it for Spark): the
null level's condition, then one condition per level, most similar first, then ``ELSE``. The
docstrings state the same rules in words, bounds included; all thresholds are inclusive.

Levels are numbered from 0, the most similar; the last is the else level. ``None`` is Splink's
null level (nothing to compare: the feature says nothing). Splink numbers the other way round:
``Feature.gamma`` converts (null -> -1, our level ``i`` -> ``len(levels) - 1 - i``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vigil.domain.enums import PUBLIC_PLACES
from vigil.linkage.geo import KM_SQL, describe_km, great_circle_km

Row = Mapping[str, Any]
Sides = tuple[str, str]

# Thresholds, shared with the Splink model (vigil/linkage/model.py). All bounds are inclusive.
# the same spot (tens of metres), the same street, the same neighbourhood, the same area
DISTANCE_KM: tuple[float, ...] = (0.05, 0.25, 1.0, 3.0)
DAYS: tuple[int, ...] = (7, 30, 180, 365)
MINUTES: tuple[int, ...] = (60, 180)
AGE_YEARS: tuple[int, ...] = (2, 5, 10)
MINUTES_PER_DAY = 1440
PUBLIC_PLACE_TYPES: tuple[str, ...] = tuple(sorted(p.value for p in PUBLIC_PLACES))
NAME_KINDS: tuple[str, ...] = ("alias", "name")
# Identifier kinds by strength: sharing one of the first tier is level 0, and so on.
# An organisation's number ('orgphone', see profile.identifier_key) is last: a hostel's or a
# taxi firm's number is on many unrelated cases.
# A postcode alone (about 15 households) is as weak: it is in that last tier too.
IDENTIFIER_TIERS: tuple[tuple[str, ...], ...] = (
    ("phone", "email", "handle"),
    ("address",),
    NAME_KINDS,
    ("orgphone", "postcode"),
)
# Frequency bands (vigil.linkage.frequency): upper bounds, exclusive, as shares of the
# store's deaths. Substances: under 0.1%, under 1%, under 5%, more. First names: under 0.5%.
SUBSTANCE_BANDS: tuple[float, ...] = (0.001, 0.01, 0.05)
FIRST_NAME_BANDS: tuple[float, ...] = (0.005,)

KIND_WORDS = {"phone": "phone", "email": "e-mail", "address": "address"}
KIND_WORDS |= {"orgphone": "organisation's number", "postcode": "postcode"}
KIND_WORDS |= {"handle": "online handle", "alias": "alias", "name": "name"}
PLACE_PHRASES = {
    "home": "at home",
    "other_residence": "in someone else's home",
    "hospital": "in hospital",
    "woodland": "in woodland",
    "beach": "on a beach",
    "railway": "on a railway",
    "commercial": "in commercial premises",
    "licensed_premises": "in licensed premises",
    "other": "in another kind of place",
}
_ACRONYMS = frozenset({"ghb", "gbl", "mdma", "mda", "lsd", "pcp", "thc", "cbd", "pma", "dmt"})


@dataclass(frozen=True)
class Compared:
    """What a feature found for one pair: its level (``None``: nothing to compare), the value
    it compared (km, days, the shared identifiers...) and a phrase saying so."""

    level: int | None
    value: Any
    text: str


Compare = Callable[[Row, Row, Sides], Compared]


@dataclass(frozen=True)
class Feature:
    """One pair feature: its name (Splink's ``output_column_name``), level labels (most similar
    first, else last), the row columns it reads, the function comparing them (whose docstring
    documents the feature) and the same levels in SQL: ``null_sql`` and ``level_sql``, one
    condition per level but the last, which is ``ELSE``."""

    name: str
    levels: tuple[str, ...]
    columns: tuple[str, ...]
    function: Compare = field(repr=False)
    null_sql: str = field(repr=False)
    level_sql: tuple[str, ...] = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.level_sql) != len(self.levels) - 1:
            raise ValueError(f"{self.name}: one SQL condition per level but the else level")

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.function) or ""

    def compare(self, a: Row, b: Row, sides: Sides = ("A", "B")) -> Compared:
        """Compare two profile rows; ``sides`` names them in the text."""
        return self.function(a, b, sides)

    def gamma(self, level: int | None) -> int:
        """Splink's comparison vector value for one of our levels."""
        return -1 if level is None else len(self.levels) - 1 - level


# Helpers, for the features' phrases and for the explanations -------------------------------


def threshold_level(value: float, thresholds: Iterable[float]) -> int:
    """Index of the first threshold with ``value <= threshold``; past the last, the else level."""
    limits = tuple(thresholds)
    return next((i for i, limit in enumerate(limits) if value <= limit), len(limits))


def join_and(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'; '' for nothing."""
    words = list(items)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def show_substance(substance: str) -> str:
    """'ghb' -> 'GHB', 'heroin' -> 'heroin'."""
    short = len(substance) <= 3 and substance.isalpha()
    return substance.upper() if substance in _ACRONYMS or short else substance


def show_name(normalised: str) -> str:
    return " ".join(word.capitalize() for word in normalised.split())


def show_identifier(key: str) -> str:
    """'phone:+447700900461' -> 'phone +447700900461', 'name:sam testperson' -> 'name Sam
    Testperson'."""
    kind, _, value = key.partition(":")
    return f"{KIND_WORDS.get(kind, kind)} {show_name(value) if kind in NAME_KINDS else value}"


def identifier_tier(key: str) -> int:
    kind = key.partition(":")[0]
    last = len(IDENTIFIER_TIERS) - 1
    return next((i for i, kinds in enumerate(IDENTIFIER_TIERS) if kind in kinds), last)


def show_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' * (rest != 1)}")
    return " ".join(parts)


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' * (n != 1)}"


def _not_recorded(what: str, a: Row, b: Row, sides: Sides, *columns: str) -> Compared | None:
    """Compared(None, ...) when one of ``columns`` is null on a side, saying which."""
    a_missing, b_missing = (any(row.get(c) is None for c in columns) for row in (a, b))
    if not (a_missing or b_missing):
        return None
    where = "either" if a_missing and b_missing else sides[0] if a_missing else sides[1]
    return Compared(None, None, f"{what} not recorded on {where}")


def _null_sql(*columns: str) -> str:
    return " OR ".join(f"{c}_{side} IS NULL" for side in "lr" for c in columns)


def _size(column: str, side: str) -> str:
    return f"coalesce(array_length({column}_{side}), 0)"


def _shares(left: str, right: str) -> str:
    return f"array_length(array_intersect({left}, {right})) >= 1"


def _within(show: Callable[[Any], str], thresholds: Iterable[Any]) -> tuple[str, ...]:
    return (*(f"within {show(t)}" for t in thresholds), "further apart")


def _abs_sql(column: str, thresholds: Iterable[float]) -> tuple[str, ...]:
    return tuple(f"abs({column}_l - {column}_r) <= {t:g}" for t in thresholds)


_REGISTERED: list[Feature] = []


def _feature(
    name: str, levels: Iterable[str], columns: Iterable[str], null_sql: str, *level_sql: str
) -> Callable[[Compare], Feature]:
    """Make the decorated function a Feature, registered in definition order."""

    def register(function: Compare) -> Feature:
        made = Feature(name, tuple(levels), tuple(columns), function, null_sql, level_sql)
        _REGISTERED.append(made)
        return made

    return register


# The features, in the order of FEATURES -----------------------------------------------------


@_feature(
    "distance",
    _within(lambda km: f"{km * 1000:g} m" if km < 1 else f"{km:g} km", DISTANCE_KM),
    ("latitude", "longitude"),
    _null_sql("latitude", "longitude"),
    *(f"{KM_SQL} <= {km:g}" for km in DISTANCE_KM),
)
def distance(a: Row, b: Row, sides: Sides) -> Compared:
    """Distance between where the two bodies were found: deaths close together are the first
    sign of a series (at Barking two were found 4 m apart, a third 25 m from them). Levels:
    the same spot (50 m), the same street (250 m), the same neighbourhood (1 km), the same
    area (3 km), further.

    Rule: km = great-circle distance as Splink's ``DistanceInKMLevel`` computes it (spherical
    law of cosines, radius 6371 km, cosine clipped to [-1, 1], cast to single precision);
    level i = the first i with km <= DISTANCE_KM[i], else the last level. Null when latitude
    or longitude is null on either side. ``cl.DistanceInKMAtThresholds("latitude",
    "longitude", DISTANCE_KM)`` gives exactly these levels."""
    missing = _not_recorded("where found", a, b, sides, "latitude", "longitude")
    if missing:
        return missing
    km = great_circle_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    shown = describe_km(km)
    text = "found at the same spot" if shown == "0 m" else f"found {shown} apart"
    return Compared(threshold_level(km, DISTANCE_KM), km, text)


@_feature(
    "days_apart",
    _within(lambda d: f"{d} days", DAYS),
    ("found_day",),
    _null_sql("found_day"),
    *_abs_sql("found_day", DAYS),
)
def days_apart(a: Row, b: Row, sides: Sides) -> Compared:
    """Days between the two deaths being found: a series runs over weeks or months; deaths
    years apart are rarely linked.

    Rule: d = abs(found_day_l - found_day_r) (whole days since 1970-01-01, UTC); level i =
    the first i with d <= DAYS[i], else the last level. Null when found_day is null on either
    side (``cll.AbsoluteDifferenceLevel("found_day", t)`` per threshold)."""
    missing = _not_recorded("date found", a, b, sides, "found_day")
    if missing:
        return missing
    days = abs(a["found_day"] - b["found_day"])
    text = "found on the same day" if days == 0 else f"found {_plural(days, 'day')} apart"
    return Compared(threshold_level(days, DAYS), days, text)


def circular_minutes(x: int, y: int) -> int:
    """Minutes between two times of day, round the clock: 23:50 and 00:10 are 20 apart."""
    gap = abs(x - y) % MINUTES_PER_DAY
    return min(gap, MINUTES_PER_DAY - gap)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


_GAP_SQL = "abs(found_minute_l - found_minute_r)"


@_feature(
    "time_of_day",
    _within(show_duration, MINUTES),
    ("found_minute",),
    _null_sql("found_minute"),
    *(f"least({_GAP_SQL}, {MINUTES_PER_DAY} - {_GAP_SQL}) <= {m}" for m in MINUTES),
)
def time_of_day(a: Row, b: Row, sides: Sides) -> Compared:
    """Time of day found, round the clock: an offender keeps hours (bodies left before dawn),
    and 23:50 and 00:10 are 20 minutes apart, not 23 hours 40.

    Rule: g = abs(found_minute_l - found_minute_r); m = least(g, 1440 - g); level i = the
    first i with m <= MINUTES[i], else the last level. Null when found_minute is null on
    either side. found_minute is the minute of the day in UTC (0-1439)."""
    missing = _not_recorded("time found", a, b, sides, "found_minute")
    if missing:
        return missing
    x, y = a["found_minute"], b["found_minute"]
    gap = circular_minutes(x, y)
    text = (
        f"both found at {_clock(x)} UTC"
        if gap == 0
        else f"found at {_clock(x)} and {_clock(y)} UTC, {show_duration(gap)} apart by the clock"
    )
    return Compared(threshold_level(gap, MINUTES), gap, text)


_PUBLIC_SQL = ", ".join(f"'{p}'" for p in PUBLIC_PLACE_TYPES)


@_feature(
    "place_type",
    ("same place type", "both public places", "different places"),
    ("place_type",),
    _null_sql("place_type"),
    "place_type_l = place_type_r",
    f"place_type_l IN ({_PUBLIC_SQL}) AND place_type_r IN ({_PUBLIC_SQL})",
)
def place_type(a: Row, b: Row, sides: Sides) -> Compared:
    """The kind of place each body was found: two deaths in churchyards say more than two
    deaths at home, and any two public places more than a home and a street.

    Rule: level 0 when place_type_l = place_type_r; level 1 when both are in
    PUBLIC_PLACE_TYPES; else level 2. Null when place_type is null on either side."""
    missing = _not_recorded("place type", a, b, sides, "place_type")
    if missing:
        return missing
    x, y = str(a["place_type"]), str(b["place_type"])
    px, py = (PLACE_PHRASES.get(p, f"in a {p.replace('_', ' ')}") for p in (x, y))
    if x == y:
        return Compared(0, (x, y), f"both found {px}")
    if x in PUBLIC_PLACE_TYPES and y in PUBLIC_PLACE_TYPES:
        return Compared(1, (x, y), f"found {px} and {py}, both public places")
    return Compared(2, (x, y), f"found {px} and {py}")


@_feature("sex", ("same sex", "different sex"), ("sex",), _null_sql("sex"), "sex_l = sex_r")
def sex(a: Row, b: Row, sides: Sides) -> Compared:
    """The sex of the two deceased: offenders in a series tend to choose victims of one sex.

    Rule: level 0 when sex_l = sex_r, else level 1. Null when sex is null (unknown) on either
    side (``cl.ExactMatch("sex")``)."""
    missing = _not_recorded("sex", a, b, sides, "sex")
    if missing:
        return missing
    x, y = a["sex"], b["sex"]
    return Compared(0, (x, y), f"both {x}") if x == y else Compared(1, (x, y), f"one {x}, one {y}")


@_feature(
    "age",
    _within(lambda y: f"{y} years", AGE_YEARS),
    ("age",),
    _null_sql("age"),
    *_abs_sql("age", AGE_YEARS),
)
def age(a: Row, b: Row, sides: Sides) -> Compared:
    """Difference between the ages of the two deceased: offenders choose victims of an age
    (at Barking, four young men in their twenties).

    Rule: d = abs(age_l - age_r); level i = the first i with d <= AGE_YEARS[i], else the
    last level. Null when age is null on either side."""
    missing = _not_recorded("age", a, b, sides, "age")
    if missing:
        return missing
    x, y = a["age"], b["age"]
    gap = abs(x - y)
    text = f"both aged {x}" if gap == 0 else f"aged {x} and {y}, {_plural(gap, 'year')} apart"
    return Compared(threshold_level(gap, AGE_YEARS), gap, text)


def _percent_bound(share: float) -> str:
    return f"{share * 100:g}%"


def _band_words(bounds: tuple[float, ...], what: str) -> tuple[str, ...]:
    """'share a substance found in under 0.1% of deaths', ..., 'share none'."""
    under = tuple(f"share {what} in under {_percent_bound(b)} of deaths" for b in bounds)
    return (*under, f"share only {what} in {_percent_bound(bounds[-1])} or more", "share none")


def _shared_band(left: str, right: str, band: int) -> str:
    shared = f"array_intersect({left}, {right})"
    return (
        f"list_has_any({left}, {right}) AND "
        f"array_length(list_filter({shared}, lambda x: x LIKE '{band}:%')) >= 1"
    )


def shared_bands(mine: Iterable[str], theirs: Iterable[str]) -> list[tuple[int, str]]:
    """(band, value) of each banded item ('0:ghb') in both lists, rarest first."""
    return sorted(
        (int(band), value)
        for band, _, value in (item.partition(":") for item in set(mine) & set(theirs))
    )


@_feature(
    "substance",
    _band_words(SUBSTANCE_BANDS, "a substance found"),
    ("substance_bands",),
    f"{_size('substance_bands', 'l')} = 0 OR {_size('substance_bands', 'r')} = 0",
    *(
        _shared_band("substance_bands_l", "substance_bands_r", band)
        for band in range(len(SUBSTANCE_BANDS) + 1)
    ),
)
def substance(a: Row, b: Row, sides: Sides) -> Compared:
    """A substance toxicology found in both deaths, weighed by how often it is found among
    the store's deaths when the pair is scored: two young men dead with GHB, found in 1 death
    in 1,000, is not two rough sleepers dead with heroin, found in 1 in 5. The same table of
    frequencies bands both rows, so the pair weighs the same whichever was saved last.

    Rule: substance_bands holds 'band:substance' for each substance found, the band by its
    share of the store's deaths (SUBSTANCE_BANDS: 0 under 0.1%, 1 under 1%, 2 under 5%, 3
    more; vigil.linkage.frequency). S = substance_bands_l intersect substance_bands_r; level
    i (i = 0..3) when the rarest band in S is i; level 4 when S is empty. Null when either
    side has no substances."""
    mine, theirs = list(a.get("substance_bands") or ()), list(b.get("substance_bands") or ())
    if not (mine and theirs):
        where = "either" if not (mine or theirs) else sides[1] if mine else sides[0]
        return Compared(None, None, f"substances not recorded on {where}")
    shared = shared_bands(mine, theirs)
    if shared:
        found = join_and(show_substance(s) for _, s in shared)
        return Compared(
            shared[0][0], tuple(s for _, s in shared), f"toxicology found {found} in both"
        )
    x, y = (
        join_and(show_substance(i.partition(":")[2]) for i in sorted(v)) for v in (mine, theirs)
    )
    return Compared(
        len(SUBSTANCE_BANDS) + 1, (), f"no substance shared: {x} on {sides[0]}, {y} on {sides[1]}"
    )


def _both(column: str, labels: tuple[str, str], texts: tuple[str, str, str], doc: str) -> Feature:
    """A scene flag (true or null): level 0 when true on both sides, 1 when true on one, null
    when true on neither. ``texts``: both, one (with {side}), neither."""

    def compare(a: Row, b: Row, sides: Sides) -> Compared:
        x, y = (row.get(column) is not None and bool(row.get(column)) for row in (a, b))
        if x and y:
            return Compared(0, True, texts[0])
        if x or y:
            return Compared(1, False, texts[1].format(side=sides[0] if x else sides[1]))
        return Compared(None, None, texts[2])

    compare.__doc__ = doc
    flags = (f"coalesce({column}_l, false)", f"coalesce({column}_r, false)")
    null_sql = f"NOT {flags[0]} AND NOT {flags[1]}"
    return _feature(column, labels, (column,), null_sql, " AND ".join(flags))(compare)


moved = _both(
    "moved",
    ("both moved", "one moved"),
    (
        "both bodies moved after death",
        "body moved after death on {side} only",
        "neither recorded as moved after death",
    ),
    """Both bodies moved after death: a scene arranged by someone else, as at Barking.

    Rule (the column is true or null): level 0 when moved is true on both sides; level 1
    when true on exactly one; null when true on neither, since a null records nothing (not
    'not moved'). Null cannot be 'not both': every non-null pair would then be level 0,
    m = u = 1, and the feature could never carry weight.""",
)
phone_missing = _both(
    "phone_missing",
    ("both phones missing", "one phone missing"),
    (
        "both phones missing",
        "phone missing on {side} only",
        "neither recorded with a phone missing",
    ),
    """Both deceased's phones missing: taken to hide contact with whoever was with them.

    Rule: as for moved, on phone_missing.""",
)
note_present = _both(
    "note_present",
    ("a note with both", "a note with one"),
    ("a note found with both", "a note found on {side} only", "no note recorded on either"),
    """A note found with both: at Barking a 'suicide' note was planted and its handwriting
    never checked.

    Rule: as for moved, on note_present.""",
)


# Most pairs share no identifier: this cheap test first spares them the intersections and
# filters of every level (half the cost of the comparison on DuckDB).
_ANY_SHARED = "list_has_any(identifiers_l, identifiers_r)"


def _shared_like(kinds: tuple[str, ...]) -> str:
    test = " OR ".join(f"x LIKE '{kind}:%'" for kind in kinds)
    shared = "array_intersect(identifiers_l, identifiers_r)"
    return f"{_ANY_SHARED} AND array_length(list_filter({shared}, lambda x: {test})) >= 1"


@_feature(
    "identifiers",
    (
        "share a phone, e-mail or online handle",
        "share an address",
        "share an alias or name",
        "share only a postcode or an organisation's number",
        "share none",
    ),
    ("identifiers",),
    f"{_size('identifiers', 'l')} = 0 OR {_size('identifiers', 'r')} = 0",
    *(_shared_like(kinds) for kinds in IDENTIFIER_TIERS[:-1]),
    _ANY_SHARED,
)
def identifiers(a: Row, b: Row, sides: Sides) -> Compared:
    """Identifiers held by anyone on both cases, in any role: the caller's phone on one case
    in a friend's statement on another is the link the Barking investigations missed.

    Rule: S = identifiers_l intersect identifiers_r (exact 'kind:normalised' strings); level
    0 when S holds a 'phone:', 'email:' or 'handle:' string; level 1 when it holds an
    'address:' one; level 2 when it holds an 'alias:' or 'name:' one; level 3 when it holds
    only 'orgphone:' ones (freephone, shared-cost: an organisation's number, on many unrelated
    cases) or 'postcode:' ones; level 4 when S is empty. The identifiers are everyone's on the
    case, the deceased's own (name, home address) and those written in its free text, so the
    caller's address on one case is the deceased's home on another. Null when identifiers is
    empty on either side. Kinds must match: 'alias:x' and 'name:x' are not shared (text_names
    compares names across kinds)."""
    ids_a, ids_b = list(a.get("identifiers") or ()), list(b.get("identifiers") or ())
    if not (ids_a and ids_b):
        where = "either" if not (ids_a or ids_b) else sides[1] if ids_a else sides[0]
        return Compared(None, None, f"identifiers not recorded on {where}")
    shared = sorted(set(ids_a) & set(ids_b), key=lambda k: (identifier_tier(k), k))
    if not shared:
        counts = f"{len(ids_a)} on {sides[0]}, {len(ids_b)} on {sides[1]}"
        return Compared(len(IDENTIFIER_TIERS), (), f"no identifier shared ({counts})")
    text = "share " + join_and(show_identifier(k) for k in shared)
    return Compared(identifier_tier(shared[0]), tuple(shared), text)


def _first_name_sql(band: int) -> str:
    return " OR ".join(
        _shared_band(f"text_first_bands_{x}", f"first_name_bands_{y}", band)
        for x, y in (("l", "r"), ("r", "l"))
    )


@_feature(
    "text_names",
    (
        "a full name in one's free text is on the other",
        *(
            f"a first name in one's free text is on the other, on under {_percent_bound(b)} "
            "of cases"
            for b in FIRST_NAME_BANDS
        ),
        "a first name in one's free text is on the other, on "
        f"{_percent_bound(FIRST_NAME_BANDS[-1])} of cases or more",
        "no name in common",
    ),
    ("text_names", "names", "text_first_bands", "first_name_bands"),
    " AND ".join(f"{_size(c, s)} = 0" for c in ("text_names", "text_first_bands") for s in "lr"),
    f"{_shares('text_names_l', 'names_r')} OR {_shares('text_names_r', 'names_l')}",
    *(_first_name_sql(band) for band in range(len(FIRST_NAME_BANDS) + 1)),
)
def text_names(a: Row, b: Row, sides: Sides) -> Compared:
    """A name written in one case's free text (circumstances, first account, the note,
    statements, the liaison log) that is the deceased or a person (name or alias) on the
    other: at Barking a note named 'Gabriel', and families and friends named the same people
    and were not heard. A whole name counts most; a first name alone ('Gabriel') counts by
    how common it is among the store's names when the pair is scored.

    Rule: level 0 when text_names_l meets names_r or text_names_r meets names_l; else, with
    F = (text_first_bands_l meet first_name_bands_r) union (text_first_bands_r meet
    first_name_bands_l) ('band:name' by FIRST_NAME_BANDS, vigil.linkage.frequency), level 1
    + the rarest band in F; else the last level. Null when text_names and text_first_bands
    are empty on both sides. The value is ((name, the side whose text names it: 0 for the
    first row, 1 for the second), ...)."""
    mine, theirs = list(a.get("text_names") or ()), list(b.get("text_names") or ())
    firsts = [list(r.get("text_first_bands") or ()) for r in (a, b)]
    if not (mine or theirs or firsts[0] or firsts[1]):
        return Compared(None, None, "no names in the free text of either")
    names_a, names_b = set(a.get("names") or ()), set(b.get("names") or ())
    matches = sorted(
        {(n, 0) for n in mine if n in names_b} | {(n, 1) for n in theirs if n in names_a}
    )
    if matches:
        text = "; ".join(
            f"'{show_name(n)}', named in the free text on {sides[side]}, is on {sides[1 - side]}"
            for n, side in matches
        )
        return Compared(0, tuple(matches), text)
    own = [list(r.get("first_name_bands") or ()) for r in (a, b)]
    found = sorted(
        (band, name, side)
        for side in (0, 1)
        for band, name in shared_bands(firsts[side], own[1 - side])
    )
    if not found:
        return Compared(
            len(FIRST_NAME_BANDS) + 2, (), "no name in either case's free text is on the other"
        )
    text = "; ".join(
        f"'{show_name(n)}', named in the free text on {sides[side]}, is a first name on "
        f"{sides[1 - side]}"
        for _, n, side in found
    )
    return Compared(1 + found[0][0], tuple((n, side) for _, n, side in found), text)


FEATURES: tuple[Feature, ...] = tuple(_REGISTERED)
BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}


def compare_all(a: Row, b: Row, sides: Sides = ("A", "B")) -> dict[str, Compared]:
    """Every feature for one pair, in FEATURES order."""
    return {f.name: f.compare(a, b, sides) for f in FEATURES}


def gamma_mismatches(a: Row, b: Row, splink_row: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Features whose ``gamma_<name>`` in a Splink prediction row differs from the level
    computed here: {name: (Splink's gamma, ours)}. Empty when the two agree."""
    found: dict[str, tuple[int, int]] = {}
    for f in FEATURES:
        if f"gamma_{f.name}" in splink_row:
            theirs, ours = int(splink_row[f"gamma_{f.name}"]), f.gamma(f.compare(a, b).level)
            if theirs != ours:
                found[f.name] = (theirs, ours)
    return found
