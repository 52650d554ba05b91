"""Scoring engines: online equals batch, the online path is fast, Spark equals DuckDB."""

from __future__ import annotations

import pytest

from vigil.linkage import engines, model, synthetic


@pytest.fixture(scope="module")
def shipped() -> model.Model:
    return model.load()


def test_online_scores_equal_batch_scores(shipped: model.Model) -> None:
    data = synthetic.generate(1200, seed=61)
    batch = {(p.id_l, p.id_r): p for p in engines.score(shipped, data.rows)}
    new = next(r for r in data.rows if sum(r["unique_id"] in k for k in batch) >= 5)
    online = engines.score_one(shipped, new, data.rows)
    assert len(online) == len(data.rows) - 1  # every candidate, itself excluded
    compared = 0
    for p in online:
        if (p.id_l, p.id_r) in batch:
            other = batch[(p.id_l, p.id_r)]
            assert p.match_weight == pytest.approx(other.match_weight, abs=1e-9)
            assert p.levels == other.levels
            compared += 1
    assert compared >= 5
    assert [p.match_weight for p in online] == sorted(
        (p.match_weight for p in online), reverse=True
    )


def test_score_pairs_scores_named_pairs_only(shipped: model.Model) -> None:
    data = synthetic.generate(300, seed=62)
    a, b, c = (r["unique_id"] for r in data.rows[:3])
    got = engines.score_pairs(shipped, data.rows, [(b, a), (a, c), (a, a), (a, "unknown")])
    assert {(p.id_l, p.id_r) for p in got} == {tuple(sorted((a, b))), tuple(sorted((a, c)))}


def test_a_threshold_keeps_only_pairs_at_or_above_it(shipped: model.Model) -> None:
    data = synthetic.generate(1000, seed=63)
    everything = engines.score(shipped, data.rows)
    cut = everything[len(everything) // 10].match_weight
    kept = engines.score(shipped, data.rows, threshold=cut)
    assert kept == [p for p in everything if p.match_weight >= cut]


def test_duplicate_references_are_refused(shipped: model.Model) -> None:
    rows = synthetic.generate(50, seed=64).rows
    with pytest.raises(ValueError, match="same unique_id"):
        engines.score(shipped, [*rows, rows[0]])
    with pytest.raises(ValueError, match="unknown engine"):
        engines.score(shipped, rows, engine="sqlite")  # type: ignore[arg-type]


@pytest.mark.slow
def test_spark_gives_the_same_links_as_duckdb(shipped: model.Model) -> None:
    data = synthetic.generate(5000, seed=66)
    threshold = -10.0
    duck = {(p.id_l, p.id_r): p for p in engines.score(shipped, data.rows, "duckdb", threshold)}
    spark = {(p.id_l, p.id_r): p for p in engines.score(shipped, data.rows, "spark", threshold)}
    assert len(duck) > 100
    assert set(spark) == set(duck)
    for key, p in duck.items():
        assert spark[key].match_weight == pytest.approx(p.match_weight, abs=1e-6)
        assert spark[key].levels == p.levels
