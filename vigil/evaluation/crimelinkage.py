"""The crimelinkage benchmark: its crimes, its offender ground truth, and offender-group splits.

The data are the R package crimelinkage's fictitious example (490 burglaries in 1993, an
offender table); see SOURCE.md beside the files. Everything here is deterministic: crimes keep
the order of crimes.csv, a pair is (earlier crime in that order, later crime), and a split
depends only on its seed.

Normalisation (applied once, for every model alike):
- TIME_FROM / TIME_TO are HHMM strings; '2400' (three crimes) is read as 00:00 of the next day.
- dt_from / dt_to are naive timestamps; MO2 and MO3 may be missing (NA in the file, NaN here).
- 14 crimes end before they start (DT_TO < DT_FROM), as in the source: kept as they are.
- offenders.csv holds five duplicated rows and many crimes outside crimes.csv: both are dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "CRIME_COLUMNS",
    "Benchmark",
    "Pair",
    "Split",
    "default_data_dir",
    "linked",
    "load_benchmark",
    "splits",
    "test_pairs",
    "train_pairs",
]

#: Columns of Benchmark.crimes, in order.
CRIME_COLUMNS = ("crime_id", "x", "y", "dt_from", "dt_to", "mo1", "mo2", "mo3")

#: Share of the crimes that go to the test side (whole offender groups, so approximately).
TEST_SHARE = 0.3

#: (crime_a, crime_b, linked): crime_a comes before crime_b in crimes.csv.
Pair = tuple[str, str, bool]


def default_data_dir() -> Path:
    """VIGIL_CRIMELINKAGE_DIR, else shared/data/crimelinkage-example beside the repository."""
    env = os.environ.get("VIGIL_CRIMELINKAGE_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "data" / "crimelinkage-example"


def _timestamp(dates: pd.Series, times: pd.Series) -> pd.Series:
    """HHMM times on YYYY-MM-DD dates; '2400' is midnight at the end of that day."""
    day = pd.to_datetime(dates, format="%Y-%m-%d")
    hhmm = times.str.zfill(4)
    hours = hhmm.str[:2].astype(int)
    minutes = hhmm.str[2:].astype(int)
    if ((hours > 24) | (minutes > 59) | ((hours == 24) & (minutes > 0))).any():
        raise ValueError("crimes.csv: a time is not HHMM between 0000 and 2400")
    return day + pd.to_timedelta(hours, unit="h") + pd.to_timedelta(minutes, unit="m")


@dataclass(frozen=True, eq=False)
class Benchmark:
    """The crimes (columns CRIME_COLUMNS) and the offender table restricted to those crimes."""

    crimes: pd.DataFrame
    offenders: pd.DataFrame  # columns offender_id, crime_id; no duplicate rows

    @property
    def crime_ids(self) -> tuple[str, ...]:
        return tuple(self.crimes["crime_id"])

    def offenders_of(self) -> dict[str, frozenset[str]]:
        """Crime id -> the offenders known to have committed it (empty when unsolved)."""
        known = self.offenders.groupby("crime_id")["offender_id"].agg(frozenset).to_dict()
        return {c: known.get(c, frozenset()) for c in self.crime_ids}


def _read(data_dir: Path) -> Benchmark:
    if not (data_dir / "crimes.csv").is_file():
        raise FileNotFoundError(
            f"the crimelinkage benchmark is not at {data_dir}: set VIGIL_CRIMELINKAGE_DIR to the "
            "folder holding crimes.csv and offenders.csv (shared/data/crimelinkage-example)"
        )
    raw = pd.read_csv(data_dir / "crimes.csv", dtype=str, keep_default_na=False, na_values=["NA"])
    crimes = pd.DataFrame(
        {
            "crime_id": raw["crimeID"],
            "x": raw["X"].astype(float),
            "y": raw["Y"].astype(float),
            "dt_from": _timestamp(raw["DATE_FROM"], raw["TIME_FROM"]),
            "dt_to": _timestamp(raw["DATE_TO"], raw["TIME_TO"]),
            "mo1": raw["MO1"],
            "mo2": raw["MO2"],
            "mo3": raw["MO3"],
        }
    )
    if crimes["crime_id"].duplicated().any():
        raise ValueError("crimes.csv: duplicated crimeID")
    offenders = pd.read_csv(data_dir / "offenders.csv", dtype=str)
    offenders = offenders.rename(columns={"offenderID": "offender_id", "crimeID": "crime_id"})
    offenders = offenders[offenders["crime_id"].isin(set(crimes["crime_id"]))]
    offenders = offenders.drop_duplicates().reset_index(drop=True)
    return Benchmark(crimes=crimes, offenders=offenders[["offender_id", "crime_id"]])


@cache
def _cached(data_dir: Path) -> Benchmark:
    return _read(data_dir)


def load_benchmark(data_dir: Path | None = None) -> Benchmark:
    """The benchmark from data_dir (default: default_data_dir()); read once per directory.

    The frames are shared between callers: treat them as read-only (copy before changing).
    """
    return _cached((data_dir or default_data_dir()).resolve())


def offender_groups(benchmark: Benchmark) -> list[tuple[str, ...]]:
    """Connected components of the crime-offender graph, as crime ids in crimes.csv order.

    Two crimes are in one group when a chain of shared offenders joins them; an unsolved crime
    is a group of its own. Groups are listed in the order of their first crime.
    """
    parent: dict[str, str] = {c: c for c in benchmark.crime_ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for crimes in benchmark.offenders.groupby("offender_id", sort=True)["crime_id"]:
        ids = list(crimes[1])
        for other in ids[1:]:
            a, b = root(ids[0]), root(other)
            if a != b:
                parent[b] = a
    members: dict[str, list[str]] = {}
    for crime in benchmark.crime_ids:
        members.setdefault(root(crime), []).append(crime)
    return [tuple(group) for group in members.values()]


@dataclass(frozen=True)
class Split:
    """One seed's split: crime ids of each side, in crimes.csv order."""

    seed: int
    train_crimes: tuple[str, ...]
    test_crimes: tuple[str, ...]


def splits(seed: int, benchmark: Benchmark | None = None, test_share: float = TEST_SHARE) -> Split:
    """Split by offender groups: no group (so no offender's crimes) falls on both sides.

    The groups are shuffled with numpy's default_rng(seed); groups go to the test side in that
    order until it holds at least test_share of the crimes (it overshoots by less than one
    group: the largest has 14 crimes). Unsolved crimes are groups of one, so they are assigned
    at random like the rest.
    """
    bench = benchmark or load_benchmark()
    groups = offender_groups(bench)
    order = np.random.default_rng(seed).permutation(len(groups))
    target = round(test_share * len(bench.crime_ids))
    test: set[str] = set()
    for index in order:
        if len(test) >= target:
            break
        test.update(groups[index])
    return Split(
        seed=seed,
        train_crimes=tuple(c for c in bench.crime_ids if c not in test),
        test_crimes=tuple(c for c in bench.crime_ids if c in test),
    )


def linked(offenders: dict[str, frozenset[str]], a: str, b: str) -> bool:
    """Two crimes are linked when they share at least one known offender."""
    return not offenders[a].isdisjoint(offenders[b])


def _pairs(crimes: Iterable[str], benchmark: Benchmark) -> list[Pair]:
    offenders = benchmark.offenders_of()
    return [(a, b, linked(offenders, a, b)) for a, b in combinations(crimes, 2)]


def test_pairs(split: Split, benchmark: Benchmark | None = None) -> list[Pair]:
    """ALL unordered pairs of test crimes, linked when they share an offender.

    An unsolved crime has no known offender, so all its pairs count as unlinked (its true links,
    if any, are unknown); the figures are therefore conservative.
    """
    return _pairs(split.test_crimes, benchmark or load_benchmark())


test_pairs.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def train_pairs(
    split: Split,
    benchmark: Benchmark | None = None,
    *,
    max_unlinked: int | None = None,
) -> list[Pair]:
    """Labelled pairs of solved training crimes: every linked pair and the unlinked ones.

    Only solved crimes are used: a pair with an unsolved crime has an unknown label. All
    unlinked pairs are kept unless max_unlinked is given, in which case that many are drawn
    without replacement with default_rng(split.seed) (order kept). About 37,000 pairs in all.
    """
    bench = benchmark or load_benchmark()
    offenders = bench.offenders_of()
    solved = [c for c in split.train_crimes if offenders[c]]
    pairs = _pairs(solved, bench)
    if max_unlinked is None:
        return pairs
    unlinked = [i for i, p in enumerate(pairs) if not p[2]]
    if len(unlinked) > max_unlinked:
        rng = np.random.default_rng(split.seed)
        dropped = set(np.asarray(unlinked)[rng.permutation(len(unlinked))[max_unlinked:]])
        pairs = [p for i, p in enumerate(pairs) if i not in dropped]
    return pairs
