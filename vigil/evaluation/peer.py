"""The peer: PyPI's crimeserieslinkage 1.1.0 (a port of R's crimelinkage), in a venv of its own.

crimeserieslinkage fails under numpy 2 and pandas 3, so it runs in a separate venv pinned to
versions it works with, made at run time from PyPI (VIGIL_PEER_VENV, else
~/.cache/vigil/peer-venv) and reused while its pins match. peer_script.py runs there with
PYTHONHASHSEED fixed; its method is unchanged (see README.md in this package).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from vigil.evaluation.crimelinkage import Benchmark, Pair, Split, load_benchmark, test_pairs

__all__ = [
    "PEER_PINS",
    "WORKAROUNDS",
    "PeerError",
    "PeerRun",
    "ensure_peer_venv",
    "peer_env",
    "peer_venv_dir",
    "run_peer",
]

#: Every package of the peer venv, pinned (a `pip freeze` of a working install, Python 3.11).
#: numpy 1.26 and pandas 2.2 are the last lines the package runs on unchanged.
PEER_PINS = (
    "crimeserieslinkage==1.1.0",
    "numpy==1.26.4",
    "pandas==2.2.3",
    "scipy==1.14.1",
    "scikit-learn==1.5.2",
    "igraph==0.11.8",
    "matplotlib==3.9.4",
    "tqdm==4.67.1",
    "DateTime==6.0",
    "cloudpickle==3.1.2",
    "contourpy==1.3.3",
    "cycler==0.12.1",
    "fonttools==4.68.0",
    "joblib==1.6.0",
    "kiwisolver==1.5.1",
    "packaging==26.3",
    "pillow==13.0.0",
    "pyparsing==3.3.3",
    "python-dateutil==4.0.0",
    "pytz==2026.6",
    "texttable==1.7.2",
    "threadpoolctl==3.8.0",
    "tzdata==2026.6",
    "zope.interface==8.7",
)

HASH_SEED = "0"

#: What we do around the package; its method and code are untouched.
WORKAROUNDS = (
    "separate venv pinned to numpy 1.26.4 / pandas 2.2.3 / scipy 1.14.1 / scikit-learn 1.5.2 "
    "(under numpy 2.4 / pandas 3.1 makePairs raises KeyError and comparetemporal raises "
    "ValueError storing 1-element arrays as numbers)",
    f"PYTHONHASHSEED={HASH_SEED}: makeSeriesData and make_groups iterate over Python sets, so "
    "the sampled unlinked training pairs change between runs otherwise",
    "TIME '2400' (3 crimes) is read as 00:00 of the next day by Vigil's loader, for every "
    "model; the package's datapreprocess cannot parse '2400'",
    "crimes passed as the package expects: crimeID strings, DT.FROM/DT.TO built by its "
    "datapreprocess from date + 'HH:MM', missing MO2/MO3 as None, a default RangeIndex",
    "makePairs gets seed=<split seed> so its unlinked-pair sample is reproducible",
    "seriesCrimeID / seriesOffenderID are not used (pairwise scores only)",
)

SCRIPT = Path(__file__).with_name("peer_script.py")
MARKER = "vigil-peer-pins.txt"


class PeerError(RuntimeError):
    """The peer venv could not be made, or the peer run failed."""


def peer_venv_dir() -> Path:
    """VIGIL_PEER_VENV, else $XDG_CACHE_HOME/vigil/peer-venv (default ~/.cache)."""
    env = os.environ.get("VIGIL_PEER_VENV")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "vigil" / "peer-venv"


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(PYTHONHASHSEED=HASH_SEED, PYTHONNOUSERSITE="1", MPLBACKEND="Agg")
    return env


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=_clean_env(), check=False
    )
    if done.returncode != 0:
        raise PeerError(
            f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done


def ensure_peer_venv(venv: Path | None = None, *, timeout: float = 1200) -> Path:
    """The peer venv's python; the venv is (re)made from PyPI when absent or its pins differ.

    The marker file holding the pins is written last, so a half-made venv is never reused.
    """
    venv = venv or peer_venv_dir()
    wanted = "\n".join(PEER_PINS) + "\n"
    marker = venv / MARKER
    if _python(venv).exists() and marker.exists() and marker.read_text() == wanted:
        return _python(venv)
    if venv.exists() and any(venv.iterdir()) and not (venv / "pyvenv.cfg").exists():
        raise PeerError(f"{venv} exists and is not a venv: refusing to overwrite it")
    venv.parent.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    _run([sys.executable, "-m", "venv", "--clear", str(venv)], timeout)
    pip = [str(_python(venv)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, *PEER_PINS], timeout)
    marker.write_text(wanted)
    return _python(venv)


def _records(benchmark: Benchmark, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    crimes = benchmark.crimes.set_index("crime_id").loc[list(ids)].reset_index()
    out = []
    for row in crimes.to_dict("records"):
        out.append(
            {
                "crime_id": row["crime_id"],
                "x": float(row["x"]),
                "y": float(row["y"]),
                "dt_from": row["dt_from"].strftime("%Y-%m-%d %H:%M"),
                "dt_to": row["dt_to"].strftime("%Y-%m-%d %H:%M"),
                **{k: None if pd.isna(row[k]) else str(row[k]) for k in ("mo1", "mo2", "mo3")},
            }
        )
    return out


def peer_job(split: Split, pairs: list[Pair], benchmark: Benchmark) -> dict[str, Any]:
    """The JSON job for peer_script.py: training crimes and their offenders, pairs to score."""
    offenders = benchmark.offenders[benchmark.offenders["crime_id"].isin(set(split.train_crimes))]
    return {
        "seed": split.seed,
        "train_crimes": _records(benchmark, split.train_crimes),
        "test_crimes": _records(benchmark, split.test_crimes),
        "train_offenders": offenders[["offender_id", "crime_id"]].to_numpy().tolist(),
        "test_pairs": [[a, b] for a, b, _ in pairs],
    }


@dataclass(frozen=True)
class PeerRun:
    """One seed's peer scores (log Bayes factors, one per test pair, in order) and its facts."""

    scores: npt.NDArray[np.float64]
    versions: dict[str, str]
    train_pairs: dict[str, int] = field(default_factory=dict)


def run_peer(
    split: Split,
    pairs: list[Pair] | None = None,
    *,
    benchmark: Benchmark | None = None,
    venv: Path | None = None,
    timeout: float = 1800,
) -> PeerRun:
    """Train the peer on split's training crimes and score pairs (default: all test pairs)."""
    bench = benchmark or load_benchmark()
    pairs = test_pairs(split, bench) if pairs is None else pairs
    python = ensure_peer_venv(venv)
    with tempfile.TemporaryDirectory(prefix="vigil-peer-") as tmp:
        job, out = Path(tmp) / "job.json", Path(tmp) / "out.json"
        job.write_text(json.dumps(peer_job(split, pairs, bench)))
        _run([str(python), str(SCRIPT), str(job), str(out)], timeout)
        result = json.loads(out.read_text())
    scores = np.asarray(result["scores"], dtype=float)
    if scores.shape != (len(pairs),):
        raise PeerError(f"peer returned {scores.shape[0]} scores for {len(pairs)} pairs")
    return PeerRun(scores=scores, versions=result["versions"], train_pairs=result["train_pairs"])


def peer_env(versions: dict[str, str] | None = None) -> dict[str, Any]:
    """What the JSON output records about the peer: versions, pins, hash seed, workarounds."""
    return {
        "package": "crimeserieslinkage==1.1.0",
        "versions": versions or {},
        "pins": list(PEER_PINS),
        "pythonhashseed": int(HASH_SEED),
        "method": "makeSeriesData; makePairs(thres=365, m=40); compareCrimes(binary=True); "
        "naiveBayes(df=10, nbins=15, partition='quantile', weights=wt); predictnaiveBayes",
        "workarounds": list(WORKAROUNDS),
    }
