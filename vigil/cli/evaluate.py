"""`vigil evaluate ...`: linkage quality on data the model was not trained on."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from vigil.cli.common import console, err
from vigil.cli.replay import print_judged

app = typer.Typer(
    no_args_is_help=True,
    help="Measure linkage quality: against a peer, and on series reconstructed from reporting.",
)


def _means(summary: dict[str, Any], metrics: tuple[str, ...]) -> dict[str, float]:
    return {metric: round(summary[metric]["mean"], 4) for metric in metrics}


@app.command("crimelinkage")
def crimelinkage(
    seeds: list[int] = typer.Option([0, 1, 2, 3, 4], "--seed", help="Split seeds."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Vigil's Splink model against crimeserieslinkage 1.1.0 (run in its own pinned venv) on
    the same offender-group splits of the crimelinkage benchmark; means over the seeds."""
    # Imported here, not at the top: scikit-learn costs every other command a second to start.
    from vigil.evaluation.metrics import METRICS
    from vigil.evaluation.report import crimelinkage_report
    from vigil.evaluation.splink_scorer import splink_scorer

    logging.getLogger("splink").setLevel(logging.WARNING)
    err.print("Scoring both models on every split (the first run builds the peer's venv)...")
    report = crimelinkage_report(splink_scorer, seeds)
    out = {
        "vigil": _means(report["vigil"], METRICS),
        "peer": _means(report["peer"], METRICS),
        "spread": {
            side: {
                m: {"sd": report[side][m]["sd"], "per_seed": report[side][m]["per_seed"]}
                for m in METRICS
            }
            for side in ("vigil", "peer")
        },
        "seeds": report["seeds"],
        "splits": report["splits"],
        "peer_env": report["peer_env"],
    }
    if as_json:
        sys.stdout.write(json.dumps(out, indent=2, default=str) + "\n")
        return
    table = Table("Figure", "Vigil", "Peer", title=f"crimelinkage, {len(seeds)} seeds")
    for metric in METRICS:
        table.add_row(
            metric,
            f"{out['vigil'][metric]:.3f} ± {report['vigil'][metric]['sd']:.3f}",
            f"{out['peer'][metric]:.3f} ± {report['peer'][metric]['sd']:.3f}",
        )
    console.print(table)


TRAIN = [sys.executable, "-m", "vigil", "model", "train"]


def _replay(file: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``vigil replay FILE --json`` in its own process (a fresh temporary store); its report."""
    done = subprocess.run(
        [sys.executable, "-m", "vigil", "replay", str(file), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    start = done.stdout.find("{")
    if done.returncode != 0 or start < 0:
        err.print(done.stderr or done.stdout)
        raise typer.Exit(done.returncode or 1)
    report: dict[str, Any] = json.loads(done.stdout[start:])
    return report


@app.command("scenario")
def scenario(
    name: str = typer.Argument(..., help="barking, ipswich or stepping-hill."),
    background: int = typer.Option(1200, "--background", help="Background deaths to mix in."),
    seed: int = typer.Option(0, "--seed", help="The background's seed."),
    out: Path | None = typer.Option(
        None, "--out", dir_okay=False, help="Also write the mixed cases to this .jsonl file."
    ),
    as_json: bool = typer.Option(False, "--json"),
    train_seed: int | None = typer.Option(
        None,
        "--train-seed",
        help="Train and calibrate the model first on another background of the same area "
        "with this seed (as a force trains on its own past deaths); default: seed + 1.",
    ),
    shipped: bool = typer.Option(
        False, "--shipped-model", help="Replay with the shipped model instead (no training)."
    ),
) -> None:
    """A series reconstructed from public reporting, mixed into a seeded background of ordinary
    deaths of its area, replayed as `vigil replay` does: per true series, the first alert, days
    from the start, whether and when the whole series was joined; false alerts per 100 cases.
    The model is first trained (u) and calibrated (thresholds) on another background of the
    same area, never on the scenario, unless --shipped-model."""
    # Imported here, as above: the evaluation package brings scikit-learn with it.
    from vigil.demo.generate import write_jsonl
    from vigil.evaluation.scenario import ScenarioError, backdrop, mixed, summary

    trained_on = None if shipped else (seed + 1 if train_seed is None else train_seed)
    if trained_on == seed:
        err.print("[red]Refused[/red] --train-seed: train on another background than the replay's")
        raise typer.Exit(2)
    try:
        records = mixed(name, background, seed)
        past = [] if trained_on is None else backdrop(name, background, trained_on)
    except ScenarioError as exc:
        err.print(f"[red]Refused[/red] {exc}")
        raise typer.Exit(1) from None
    with tempfile.TemporaryDirectory(prefix="vigil-scenario-") as tmp:
        env = dict(os.environ)
        began = time.monotonic()
        if past:
            history, model = Path(tmp) / "past.jsonl", Path(tmp) / "model.json"
            with history.open("w", encoding="utf-8") as fh:
                write_jsonl(past, fh)
            err.print(f"Training on {len(past)} other deaths of the area (seed {trained_on})...")
            subprocess.run(
                [*TRAIN, "--labels", str(history), "--out", str(model)],
                check=True,
                capture_output=True,
            )
            env["VIGIL_LINKAGE_MODEL"] = str(model)
        file = out or Path(tmp) / f"{name}.jsonl"
        with file.open("w", encoding="utf-8") as fh:
            write_jsonl(records, fh)
        err.print(f"Replaying {len(records)} cases ({name} among {background} background)...")
        report = summary(name, background, seed, _replay(file, env))
        report["trained_on"] = "shipped model" if trained_on is None else f"seed {trained_on}"
        report["seconds"] = round(time.monotonic() - began, 1)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    title = f"{name}: {report['cases']} cases ({background} background, seed {seed})"
    table = Table("Series", "Cases", "First alert", "Date", "Days in", "Joined", title=title)
    for series, s in report["series"].items():
        days = s["days_from_start"]
        table.add_row(
            series,
            str(s["cases"]),
            s["first_alert_case"] or "never",
            s["first_alert_date"] or "",
            "" if days is None else str(days),
            s["joined_date"] or "no",
        )
    console.print(table)
    console.print(
        f"false alerts per 100 cases: {report['false_pair_alerts_per_100']} pair, "
        f"{report['false_cluster_alerts_per_100']} cluster; model trained on "
        f"{report['trained_on']}; {report['seconds']} s"
    )
    print_judged(report)
