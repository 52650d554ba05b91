"""The peer (crimeserieslinkage in its own venv): the job it is given, and one real run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vigil.evaluation import crimelinkage as cl
from vigil.evaluation import peer
from vigil.evaluation.metrics import auc


@pytest.fixture(scope="module")
def bench() -> cl.Benchmark:
    return cl.load_benchmark()


def test_venv_dir_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIGIL_PEER_VENV", str(tmp_path / "v"))
    assert peer.peer_venv_dir() == tmp_path / "v"
    monkeypatch.delenv("VIGIL_PEER_VENV")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert peer.peer_venv_dir() == tmp_path / "vigil" / "peer-venv"


def test_refuses_to_overwrite_a_directory_that_is_not_a_venv(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(peer.PeerError, match="not a venv"):
        peer.ensure_peer_venv(tmp_path)
    assert (tmp_path / "precious.txt").exists()


def test_job_holds_training_offenders_only_and_normalised_times(bench: cl.Benchmark) -> None:
    split = cl.splits(0, bench)
    pairs = cl.test_pairs(split, bench)
    job = peer.peer_job(split, pairs, bench)
    assert [r["crime_id"] for r in job["train_crimes"]] == list(split.train_crimes)
    assert [r["crime_id"] for r in job["test_crimes"]] == list(split.test_crimes)
    assert {c for _, c in job["train_offenders"]} <= set(split.train_crimes)
    assert job["test_pairs"] == [[a, b] for a, b, _ in pairs]
    records = job["train_crimes"] + job["test_crimes"]
    assert all(len(r["dt_from"]) == 16 and " 24:" not in r["dt_from"] for r in records)
    assert any(r["mo2"] is None for r in records)  # missing MO travels as JSON null


@pytest.mark.slow
def test_peer_scores_every_test_pair_better_than_chance(bench: cl.Benchmark) -> None:
    """Makes the peer venv on first use (cached in ~/.cache/vigil/peer-venv), runs one seed."""
    split = cl.splits(0, bench)
    pairs = cl.test_pairs(split, bench)
    run = peer.run_peer(split, pairs, benchmark=bench)
    assert run.scores.shape == (len(pairs),)
    assert np.isfinite(run.scores).all()
    assert auc(pairs, run.scores) > 0.5
    assert run.versions["crimeserieslinkage"] == "1.1.0"
    assert run.versions["numpy"].startswith("1.")
    assert run.train_pairs["linked"] > 100
