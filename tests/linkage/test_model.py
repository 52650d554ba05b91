"""The Splink model: its JSON, its levels (equal to the features'), blocking and training."""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from vigil.linkage import blocking, engines, features, model, synthetic, training
from vigil.linkage.frequency import Frequencies
from vigil.linkage.profile import SCORING_COLUMNS as SCORING

from .factories import north, row


@pytest.fixture(scope="module")
def shipped() -> model.Model:
    return model.load()


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    ranked = sorted(negatives)
    wins = sum(
        bisect.bisect_left(ranked, x)
        + (bisect.bisect_right(ranked, x) - bisect.bisect_left(ranked, x)) / 2
        for x in positives
    )
    return wins / (len(positives) * len(negatives))


# The model file ------------------------------------------------------------------------------


def test_the_shipped_model_loads_names_the_features_and_scores(shipped: model.Model) -> None:
    assert tuple(f.name for f in features.FEATURES) == model.FEATURES
    assert shipped.version.startswith(model.FORMAT + "+")
    for comparison in shipped.splink_settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert 0 < level["m_probability"] <= 1 and 0 < level["u_probability"] <= 1
    data = synthetic.generate(400, seed=3)
    pairs = engines.score(shipped, data.rows)
    assert pairs and all(p.id_l < p.id_r for p in pairs)
    assert set(pairs[0].levels) == set(pairs[0].contributions) == set(model.FEATURES)
    for p in pairs[:50]:  # the weight is the evidence alone: no prior odds
        assert p.match_weight == pytest.approx(sum(p.contributions.values()), abs=1e-9)
    assert shipped.splink_settings["probability_two_random_records_match"] == 0.5
    calibration = shipped.calibration
    assert calibration is not None and shipped.alert_weight == calibration.alert_weight
    assert calibration.measured_per_100 <= calibration.false_alerts_per_100


def test_a_model_round_trips_and_a_hand_edited_file_is_refused(
    shipped: model.Model, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    model.save(shipped, path)
    assert model.load(path).version == shipped.version
    data = json.loads(path.read_text())
    data["splink_settings"]["comparisons"][0]["comparison_levels"][1]["m_probability"] = 0.99
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="edited by hand"):
        model.load(path)
    path.write_text(json.dumps({**data, "format": "something-else"}))
    with pytest.raises(ValueError, match="cannot load"):
        model.load(path)


def test_spark_settings_are_marked_for_transpilation(shipped: model.Model) -> None:
    spark = shipped.settings_for("spark")
    levels = [lv for c in spark["comparisons"] for lv in c["comparison_levels"]]
    for lv in levels:
        if lv["sql_condition"] == "ELSE":
            continue
        if "ARRAYS_OVERLAP" in lv["sql_condition"]:  # written in Spark's dialect here
            assert "base_dialect_str" not in lv
            assert "list_has_any" not in lv["sql_condition"]
        else:
            assert lv.get("base_dialect_str") == "duckdb"
    assert any("ARRAYS_OVERLAP" in lv["sql_condition"] for lv in levels)
    assert all(
        r["sql_dialect"] == "duckdb" for r in spark["blocking_rules_to_generate_predictions"]
    )
    assert "base_dialect_str" not in json.dumps(shipped.settings_for("duckdb"))


# Splink's levels are the features' levels -----------------------------------------------------

EDGES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (
        {"latitude": north(0)[0], "longitude": north(0)[1]},
        {"latitude": north(km)[0], "longitude": north(km)[1]},
    )
    for km in (0, 0.04, 0.06, 0.24, 0.26, 0.99, 1.01, 2.99, 3.01, 300)
] + [
    ({"latitude": 51.5, "longitude": 0.1}, {"latitude": None, "longitude": 0.1}),
    *(
        ({"found_day": 16000}, {"found_day": 16000 + d})
        for d in (0, 7, 8, 30, 31, 180, 181, 365, 366)
    ),
    ({"found_day": 16000}, {"found_day": None}),
    *(
        ({"found_minute": a}, {"found_minute": b})
        for a, b in ((0, 1439), (0, 60), (0, 61), (100, 1340), (0, 181), (700, 0))
    ),
    ({"found_minute": None}, {"found_minute": 5}),
    *(
        ({"place_type": a}, {"place_type": b})
        for a, b in (("home", "home"), ("churchyard", "park"), ("home", "street"), (None, "home"))
    ),
    *(({"sex": a}, {"sex": b}) for a, b in (("male", "male"), ("male", "female"), ("male", None))),
    *(({"age": 30}, {"age": 30 + d}) for d in (0, 2, 3, 5, 6, 10, 11)),
    ({"age": None}, {"age": 30}),
    ({"substances": ["ghb"]}, {"substances": ["ghb", "ketamine"]}),
    ({"substances": ["gbl"]}, {"substances": ["gbl", "heroin"]}),
    ({"substances": ["tramadol"]}, {"substances": ["tramadol"]}),
    ({"substances": ["ghb"]}, {"substances": ["heroin"]}),
    ({"substances": ["ghb", "alcohol"]}, {"substances": ["alcohol"]}),
    ({"substances": ["ghb"]}, {}),
    ({}, {}),
    *(
        ({k: True}, {k: v})
        for k in ("moved", "phone_missing", "note_present")
        for v in (True, None)
    ),
    ({"moved": None}, {"moved": None}),
    (
        {"identifiers": ["phone:+447700900461", "name:sam test"]},
        {"identifiers": ["phone:+447700900461"]},
    ),
    (
        {"identifiers": ["address:1 high street", "name:sam test"]},
        {"identifiers": ["address:1 high street", "name:sam test"]},
    ),
    ({"identifiers": ["name:sam test"]}, {"identifiers": ["name:sam test", "email:a@b.example"]}),
    ({"identifiers": ["alias:sam test"]}, {"identifiers": ["name:sam test"]}),
    ({"identifiers": ["handle:sam"]}, {"identifiers": []}),
    ({"text_names": ["sam test"]}, {"names": ["sam test"]}),
    ({"names": ["sam test"]}, {"text_names": ["sam test"]}),
    ({"text_names": ["sam test"]}, {"names": ["jo other"]}),
    ({"names": ["sam test"]}, {"names": ["sam test"]}),
    ({"text_first_names": ["gabriel"]}, {"first_names": ["gabriel"]}),
    ({"first_names": ["sam"]}, {"text_first_names": ["sam"]}),
    ({"text_first_names": ["sam"]}, {"first_names": ["jo"]}),
    ({"identifiers": ["postcode:E6 2AB"]}, {"identifiers": ["postcode:E6 2AB", "name:x y"]}),
]


def _pairs_for_level_check() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Hand-made boundary pairs, random pairs and every blocked pair of a synthetic table."""
    rows: list[dict[str, Any]] = []
    pairs: list[tuple[str, str]] = []
    for i, (a, b) in enumerate(EDGES):
        rows += [row(unique_id=f"E{i:03d}a", **a), row(unique_id=f"E{i:03d}b", **b)]
        pairs.append((f"E{i:03d}a", f"E{i:03d}b"))
    data = synthetic.generate(1500, seed=21)
    rows += data.rows
    rng = random.Random(5)
    ids = [r["unique_id"] for r in data.rows]
    pairs += [tuple(sorted(rng.sample(ids, 2))) for _ in range(2000)]  # type: ignore[misc]
    return rows, pairs


def test_splink_gives_every_pair_the_level_the_feature_gives_it(shipped: model.Model) -> None:
    rows, pairs = _pairs_for_level_check()
    by_id = {r["unique_id"]: r for r in rows}
    blocked = engines.score(shipped, [r for r in rows if not r["unique_id"].startswith("E")])
    scored = engines.score_pairs(shipped, rows, pairs) + blocked
    assert len(scored) > 4000
    seen: set[tuple[str, int]] = set()
    for p in scored:
        ours = features.compare_all(by_id[p.id_l], by_id[p.id_r])
        expected = {name: features.BY_NAME[name].gamma(c.level) for name, c in ours.items()}
        assert p.levels == expected, (p.id_l, p.id_r)
        seen.update(p.levels.items())
    every = {(f.name, g) for f in features.FEATURES for g in range(-1, len(f.levels))}
    assert every <= seen, sorted(every - seen)


# Blocking ------------------------------------------------------------------------------------


def test_blocking_admits_exactly_the_pairs_its_rules_describe(shipped: model.Model) -> None:
    data = synthetic.generate(700, seed=8)
    found = {(p.id_l, p.id_r) for p in engines.score(shipped, data.rows)}
    expected = {
        (a["unique_id"], b["unique_id"])
        for a, b in itertools.combinations(sorted(data.rows, key=lambda r: r["unique_id"]), 2)
        if blocking.admits(a, b)
    }
    assert found == expected and len(found) > 500


def test_each_pair_inside_a_box_is_written_by_exactly_one_box_rule() -> None:
    """The box rules do not overlap (a pair is written once, not once per cut and box), and
    together they admit exactly the pairs inside some box."""
    data = synthetic.generate(700, seed=8)
    columns = ("unique_id", "latitude", "longitude", "found_day")
    con = duckdb.connect()
    con.register("t", pa.Table.from_pylist([{c: r[c] for c in columns} for r in data.rows]))
    written: Counter[tuple[str, str]] = Counter()
    box_rules = [r["blocking_rule"] for r in blocking.rules() if not r["arrays_to_explode"]]
    assert len(box_rules) == 8 * len(blocking.NEAR)
    for sql in box_rules:
        pairs = con.execute(
            f"select l.unique_id, r.unique_id from t l join t r "
            f"on l.unique_id < r.unique_id and {sql}"
        ).fetchall()
        written.update(pairs)

    def inside(a: dict[str, Any], b: dict[str, Any], box: blocking.Box) -> bool:
        return all(
            a[c] is not None and b[c] is not None and abs(a[c] - b[c]) <= half
            for c, half in box.half_widths().items()
        )

    expected = {
        (a["unique_id"], b["unique_id"])
        for a, b in itertools.combinations(sorted(data.rows, key=lambda r: r["unique_id"]), 2)
        if any(inside(a, b, box) for box in blocking.NEAR)
    }
    assert set(written) == expected and len(expected) > 500
    assert set(written.values()) == {1}


def test_a_pair_at_a_cell_boundary_is_not_lost(shipped: model.Model) -> None:
    width = 2 * blocking.PLACE.lat * 1.01
    edge = 51 * width  # a cell boundary of the first cut
    a = row(unique_id="A", latitude=edge - 0.001, longitude=0.0, found_day=17000)
    b = row(unique_id="B", latitude=edge + 0.001, longitude=0.0, found_day=17300)
    c = row(unique_id="C", latitude=edge + 0.02, longitude=0.0, found_day=17100)
    found = {(p.id_l, p.id_r) for p in engines.score(shipped, [a, b, c])}
    assert found == {("A", "B")}


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_blocking_finds_every_pair_of_every_strong_series(shipped: model.Model, seed: int) -> None:
    data = synthetic.generate(3000, seed=seed)
    found = {(p.id_l, p.id_r) for p in engines.score(shipped, data.rows)}
    strong = data.true_pairs("strong")
    assert strong and strong <= found


# Training ------------------------------------------------------------------------------------


def test_without_labels_m_is_the_priors_and_u_is_estimated() -> None:
    data = synthetic.generate(1500, seed=41)
    trained = training.train(data.rows, None, seed=1, u_max_pairs=2e5)
    for comparison in trained.splink_settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        assert [lv["m_probability"] for lv in levels] == list(
            model.PRIORS[comparison["output_column_name"]]
        )
        assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1, abs=0.01)
    assert trained.training["labelled_pairs"] == 0
    again = training.train(data.rows, None, seed=1, u_max_pairs=2e5)
    assert again.version == trained.version  # seeded: the same rows give the same model


def test_trained_on_one_world_the_model_ranks_planted_pairs_of_another_above_background() -> None:
    """Train (u by sampling, m from labelled pairs of solved series) on one seed; measure on
    two others, which the model never saw: planted pairs found by blocking must outrank the
    background pairs blocking also found."""
    train_on = synthetic.generate(5000, seed=101)
    trained = training.train(train_on.rows, sorted(train_on.true_pairs()), seed=1, u_max_pairs=1e6)
    assert trained.training["labelled_pairs"] == len(train_on.true_pairs())
    positives: list[float] = []
    strong: list[float] = []
    negatives: list[float] = []
    for seed in (202, 303):
        held_out = synthetic.generate(4000, seed=seed)
        truth, strong_truth = held_out.true_pairs(), held_out.true_pairs("strong")
        for p in engines.score(trained, held_out.rows):
            key = (p.id_l, p.id_r)
            (positives if key in truth else negatives).append(p.match_weight)
            if key in strong_truth:
                strong.append(p.match_weight)
    assert len(positives) > 20 and len(negatives) > 1000
    assert auc(positives, negatives) > 0.9
    assert auc(strong, negatives) > 0.99


def test_write_puts_a_loadable_model_where_asked(tmp_path: Path) -> None:
    data = synthetic.generate(600, seed=51)
    trained = training.train(
        data.rows, [(data.rows[0]["unique_id"], "not-a-case")], seed=2, u_max_pairs=5e4
    )
    assert trained.training["labelled_pairs"] == 0  # a pair naming an unknown case is ignored
    assert model.load(training.write(trained, tmp_path / "m.json")).version == trained.version


def test_the_same_spot_is_compared_over_five_years(shipped: model.Model) -> None:
    here, near, street = north(0), north(0.025), north(1.0)
    rows = [
        row(unique_id="A", latitude=here[0], longitude=here[1], found_day=16000),
        row(unique_id="D", latitude=near[0], longitude=near[1], found_day=16400),  # 25 m, 400 d
        row(unique_id="E", latitude=near[0], longitude=near[1], found_day=16400 + 6 * 365),
        row(unique_id="F", latitude=street[0], longitude=street[1], found_day=16400),  # 1 km
    ]
    found = {(p.id_l, p.id_r) for p in engines.score(shipped, rows)}
    assert found == {("A", "D"), ("D", "F")}  # D-F: 1 km within a year
    assert blocking.admits(rows[0], rows[1]) and not blocking.admits(rows[0], rows[2])


# Calibration: the score is the evidence, the threshold a measured false-alert rate ------------


@pytest.fixture(scope="module")
def small_model() -> model.Model:
    return training.train(synthetic.generate(2000, seed=61).rows, None, seed=1, u_max_pairs=3e5)


def test_the_threshold_is_the_lowest_that_keeps_false_alerts_under_the_rate(
    small_model: model.Model, tmp_path: Path
) -> None:
    world = synthetic.generate(2000, seed=62)
    truth = world.true_pairs()
    strict = training.calibrate(small_model, world.rows, truth, 0.5)
    loose = training.calibrate(small_model, world.rows, truth, 5.0)
    assert strict.calibration and loose.calibration
    assert loose.alert_weight < strict.alert_weight
    weights = [
        p.match_weight
        for p in engines.score(small_model, world.rows)
        if (p.id_l, p.id_r) not in truth
    ]
    for calibrated, rate in ((strict, 0.5), (loose, 5.0)):
        alerts = sum(w >= calibrated.alert_weight for w in weights)
        assert 100 * alerts / len(world.rows) <= rate
        lower = sum(w >= calibrated.alert_weight - 0.1 for w in weights)
        assert 100 * lower / len(world.rows) > rate  # 0.1 lower would break the rate
    path = tmp_path / "calibrated.json"
    model.save(strict, path)
    again = model.load(path)
    assert again.calibration == strict.calibration and again.version == strict.version
    assert strict.version != small_model.version != loose.version
    assert small_model.alert_weight == model.DEFAULT_ALERT_WEIGHT  # not calibrated yet


def test_unrelated_cases_elsewhere_change_a_pair_only_through_what_it_shares(
    shipped: model.Model,
) -> None:
    """Two GHB deaths 13 m and 23 days apart; then 10,000 unrelated deaths in another region
    join the store. Every feature weighs the same but the substance, whose band follows the
    documented frequency of GHB, and the weight is the sum of the features (no prior)."""
    lat, lon = north(0.013)
    pair = [
        row(
            unique_id="A",
            latitude=north(0)[0],
            longitude=north(0)[1],
            found_day=16000,
            substances=["ghb"],
            sex="male",
            age=23,
        ),
        row(
            unique_id="B",
            latitude=lat,
            longitude=lon,
            found_day=16023,
            substances=["ghb"],
            sex="male",
            age=26,
        ),
    ]
    plain = [{k: v for k, v in r.items() if k not in SCORING} for r in pair]
    others = synthetic.generate(10_000, seed=71).rows
    before = Frequencies.of_rows(plain)
    after = Frequencies.of_rows([*plain, *others])
    scored = []
    for table in (before, after):
        rows = [table.annotate(r) for r in plain]
        (p,) = engines.score_pairs(shipped, rows, [("A", "B")])
        assert p.match_weight == pytest.approx(sum(p.contributions.values()), abs=1e-9)
        scored.append(p)
    first, second = scored
    changed = {f for f in model.FEATURES if first.contributions[f] != second.contributions[f]}
    assert changed <= {"substance"}
    assert before.substance_band("ghb") >= after.substance_band("ghb")


def test_a_scene_flag_no_case_has_takes_its_u_from_the_reference_not_a_floor(
    shipped: model.Model,
) -> None:
    """A store where no body was ever recorded as moved cannot say how often unrelated pairs
    have one moved: flooring that u would make 'one moved' weigh like a shared phone."""
    data = synthetic.generate(300, seed=5)
    rows = [{**r, "moved": None} for r in data.rows]
    trained = training.train(rows, None, seed=5)
    assert trained.training["u_from_reference"] == ["moved"]

    def u(m: model.Model) -> list[float]:
        (comparison,) = [
            c for c in m.splink_settings["comparisons"] if c["output_column_name"] == "moved"
        ]
        return [lv["u_probability"] for lv in comparison["comparison_levels"][1:]]

    assert u(trained) == pytest.approx(u(shipped))
    assert min(u(trained)) > 0.01
