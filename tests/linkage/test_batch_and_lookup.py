"""The batch re-link with its series, and the benchmark's indexed online lookup."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from vigil.linkage import blocking, engines, model, synthetic
from vigil.linkage.benchmark import IndexedStore
from vigil.linkage.clusters import Components


@pytest.fixture(scope="module")
def data() -> synthetic.Synthetic:
    return synthetic.generate(3000, seed=71)


def test_series_are_the_connected_groups_of_links_at_or_above_the_weight(
    data: synthetic.Synthetic,
) -> None:
    shipped = model.load()
    everything = engines.score(shipped, data.rows)
    # a weight some links reach and most do not, between two distinct weights (pairs with the
    # same levels tie, and two engines' sums of the same weights may differ in the last bit)
    weights = sorted({round(p.match_weight, 6) for p in everything}, reverse=True)
    cut = (weights[10] + weights[11]) / 2
    links, series = engines.relink_table(shipped, engines.table(data.rows), -5.0, cut)
    assert links.num_rows == sum(p.match_weight >= -5.0 for p in everything)
    strong = [(p.id_l, p.id_r) for p in everything if p.match_weight >= cut]
    expected = {frozenset(g) for g in Components(strong).groups()}
    got: dict[str, set[str]] = {}
    for uid, sid in zip(series["unique_id"].to_pylist(), series["series"].to_pylist(), strict=True):
        got.setdefault(sid, set()).add(uid)
    assert {frozenset(g) for g in got.values()} == expected
    assert all(sid == min(g) for sid, g in got.items())  # named by its first reference


def test_the_indexed_lookup_finds_exactly_the_pairs_the_rules_admit(
    data: synthetic.Synthetic, tmp_path: Path
) -> None:
    path = tmp_path / "store.parquet"
    pq.write_table(engines.table(data.rows), path)
    store = IndexedStore(str(path))
    planted = [r for r in data.rows if r["unique_id"] in data.series]
    sample = planted[:15] + store.sample(25, seed=3)
    found_some = 0
    for new in sample:
        got = {r["unique_id"] for r in store.candidates(new)}
        expected = {
            r["unique_id"]
            for r in data.rows
            if r["unique_id"] != new["unique_id"] and blocking.admits(new, r)
        }
        assert got == expected, new["unique_id"]
        found_some += bool(got)
    assert found_some >= 15


def test_scoring_only_new_cases_gives_the_pairs_that_involve_them(
    data: synthetic.Synthetic,
) -> None:
    shipped = model.load()
    new = {r["unique_id"] for r in data.rows[::5]}
    everything = engines.score(shipped, data.rows, threshold=-20.0)
    expected = [p for p in everything if p.id_l in new or p.id_r in new]
    got = engines.score(shipped, data.rows, threshold=-20.0, new=new)
    assert len(expected) >= 10
    assert [(p.id_l, p.id_r) for p in got] == [(p.id_l, p.id_r) for p in expected]
    assert [p.match_weight for p in got] == pytest.approx([p.match_weight for p in expected])
