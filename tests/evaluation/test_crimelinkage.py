"""The benchmark loader and the offender-group splits (real crimelinkage example data)."""

from __future__ import annotations

from math import comb

import pandas as pd
import pytest

from vigil.evaluation import crimelinkage as cl

SEEDS = range(5)


@pytest.fixture(scope="module")
def bench() -> cl.Benchmark:
    return cl.load_benchmark()


def test_benchmark_matches_source_md(bench: cl.Benchmark) -> None:
    offenders = bench.offenders_of()
    assert len(bench.crimes) == 490
    assert sum(1 for o in offenders.values() if o) == 390  # solved crimes
    assert bench.offenders["offender_id"].nunique() == 387
    assert not bench.offenders.duplicated().any()
    series = bench.offenders.groupby("offender_id").size()
    # SOURCE.md says 62: it counts the 5 duplicated rows (e.g. O:40-C:78 twice) as series.
    assert (series >= 2).sum() == 59
    assert series.max() == 14


def test_time_2400_is_midnight_of_the_next_day(bench: cl.Benchmark) -> None:
    raw = pd.read_csv(cl.default_data_dir() / "crimes.csv", dtype=str)
    row = raw[raw["TIME_FROM"] == "2400"].iloc[0]
    crime = bench.crimes.set_index("crime_id").loc[row["crimeID"]]
    assert crime["dt_from"] == pd.Timestamp(row["DATE_FROM"]) + pd.Timedelta(days=1)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_offender_group_on_both_sides(bench: cl.Benchmark, seed: int) -> None:
    split = cl.splits(seed, bench)
    train, test = set(split.train_crimes), set(split.test_crimes)
    assert not train & test
    assert train | test == set(bench.crime_ids)
    for _, crimes in bench.offenders.groupby("offender_id")["crime_id"]:
        assert set(crimes) <= train or set(crimes) <= test
    for group in cl.offender_groups(bench):
        assert set(group) <= train or set(group) <= test
    assert 0.29 <= len(test) / len(bench.crime_ids) <= 0.33


@pytest.mark.parametrize("seed", SEEDS)
def test_splits_are_deterministic_per_seed(bench: cl.Benchmark, seed: int) -> None:
    fresh = cl._read(cl.default_data_dir())  # a second read, not the cached frames
    assert cl.splits(seed, bench) == cl.splits(seed, fresh)


def test_seeds_give_different_splits(bench: cl.Benchmark) -> None:
    assert len({cl.splits(s, bench).test_crimes for s in SEEDS}) == len(SEEDS)


def test_unsolved_crimes_fall_on_both_sides(bench: cl.Benchmark) -> None:
    offenders = bench.offenders_of()
    split = cl.splits(0, bench)
    assert any(not offenders[c] for c in split.test_crimes)
    assert any(not offenders[c] for c in split.train_crimes)


def test_test_pairs_are_all_pairs_with_offender_labels(bench: cl.Benchmark) -> None:
    split = cl.splits(0, bench)
    pairs = cl.test_pairs(split, bench)
    offenders = bench.offenders_of()
    assert len(pairs) == comb(len(split.test_crimes), 2)
    assert len({(a, b) for a, b, _ in pairs}) == len(pairs)
    order = {c: i for i, c in enumerate(bench.crime_ids)}
    for a, b, is_link in pairs:
        assert order[a] < order[b]
        assert is_link == bool(offenders[a] & offenders[b])
    assert sum(p[2] for p in pairs) > 20


def test_train_pairs_use_solved_crimes_only(bench: cl.Benchmark) -> None:
    split = cl.splits(1, bench)
    offenders = bench.offenders_of()
    pairs = cl.train_pairs(split, bench)
    solved = [c for c in split.train_crimes if offenders[c]]
    assert len(pairs) == comb(len(solved), 2)
    assert all(offenders[a] and offenders[b] for a, b, _ in pairs)
    assert not {a for a, _, _ in pairs} & set(split.test_crimes)


def test_train_pairs_sampling_keeps_every_link(bench: cl.Benchmark) -> None:
    split = cl.splits(2, bench)
    full = cl.train_pairs(split, bench)
    sampled = cl.train_pairs(split, bench, max_unlinked=1000)
    assert [p for p in sampled if p[2]] == [p for p in full if p[2]]
    assert sum(not p[2] for p in sampled) == 1000
    assert sampled == cl.train_pairs(split, bench, max_unlinked=1000)
