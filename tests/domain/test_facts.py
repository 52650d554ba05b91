from datetime import UTC, datetime, timedelta

from vigil.domain import DeathReport
from vigil.domain.facts import (
    FACT_PATHS,
    Fact,
    flatten,
    fold,
    report_facts,
    report_from_values,
    unflatten,
)

T0 = datetime(2015, 6, 1, 8, tzinfo=UTC)


def test_only_fields_given_are_facts():
    report = DeathReport.model_validate({"scene": {"phone": "missing"}, "found_at": T0})
    assert report_facts(report) == {"scene.phone": "missing", "found_at": "2015-06-01T08:00:00Z"}


def test_every_leaf_of_the_report_has_a_path():
    full = report_facts(DeathReport(), only_set=False)
    assert set(full) == set(FACT_PATHS)
    assert "toxicology.substances" in FACT_PATHS
    assert "deceased.known_illness" in FACT_PATHS


def test_flatten_and_unflatten_are_inverse():
    data = {"a": {"b": 1, "c": {"d": [1, 2]}}, "e": None}
    assert unflatten(flatten(data)) == data


def test_fold_reconstructs_any_past_date():
    facts = [
        Fact("toxicology.status", "pending", T0, "pc1", 1),
        Fact("toxicology.status", "confirmed", T0 + timedelta(days=30), "lab", 2),
        Fact("toxicology.substances", ["ghb"], T0 + timedelta(days=30), "lab", 3),
    ]
    assert fold(facts, T0 + timedelta(days=1)) == {"toxicology.status": "pending"}
    latest = fold(facts)
    assert latest["toxicology.status"] == "confirmed"
    assert report_from_values(latest).toxicology.substances == ("ghb",)
    assert fold(facts, T0 - timedelta(seconds=1)) == {}


def test_fold_orders_by_known_at_not_by_recording():
    late_but_older = Fact("cause.text", "old view", T0, "pc1", 5)
    early_but_newer = Fact("cause.text", "new view", T0 + timedelta(hours=1), "pc2", 1)
    assert fold([early_but_newer, late_but_older])["cause.text"] == "new view"
