"""`vigil model train | calibrate | profiles`: learn the linkage model from solved series, set
its alert threshold by a measured false-alert rate, rebuild the stored profiles."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import typer
from django.conf import settings

from vigil.cli.common import AS_USER, actor, console, err, read_records, refused
from vigil.linkage import synthetic, training
from vigil.linkage.model import MODEL_PATH, Model, load, save
from vigil.linkage.timeline import Version
from vigil.services import from_records, from_store, rebuild_profiles, versions_of_records

app = typer.Typer(no_args_is_help=True, help="The linkage model.")

_PER_100 = typer.Option(
    None,
    "--false-alerts-per-100",
    min=0,
    help="False alerts allowed per 100 cases (default VIGIL_FALSE_ALERTS_PER_100, else 0.5).",
)


def _per_100(given: float | None) -> float:
    return given if given is not None else float(settings.VIGIL.false_alerts_per_100)


Source = tuple[list[dict[str, Any]], list[tuple[str, str]], list[Version] | None]


def _source(labels: Path | None) -> Source:
    """The cases' rows, their solved pairs and, for a file, their versions as their facts
    became known (calibration then counts pairs as a replay alerts them)."""
    records = read_records(labels) if labels else None
    rows, pairs = from_records(records) if records is not None else from_store()
    if len(rows) < 2:
        err.print("[red]Refused[/red] cases: at least two cases are needed")
        raise typer.Exit(1)
    return rows, pairs, None if records is None else versions_of_records(records)


_LABELS = typer.Option(
    None,
    "--labels",
    exists=True,
    dir_okay=False,
    help="A JSON Lines file of cases whose 'series' field names solved series "
    "(default: the store, with series formed by confirmed links).",
)


@app.command("train")
def train(
    labels: Path | None = _LABELS,
    out: Path = typer.Option(Path("model.json"), "--out", help="Where to write the model."),
    seed: int = typer.Option(0, "--seed"),
    per_100: float | None = _PER_100,
) -> None:
    """u-probabilities by random sampling of the cases' pairs; m-probabilities from the solved
    series' pairs where there are any, the documented priors where not; then the alert
    threshold calibrated on the same cases (their solved pairs left out). Use the result with
    VIGIL_LINKAGE_MODEL=PATH."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    rows, pairs, versions = _source(labels)
    with console.status(f"Training on {len(rows)} cases and {len(pairs)} labelled pairs..."):
        model = training.train(rows, pairs, seed=seed)
        model = training.calibrate(model, rows, pairs, _per_100(per_100), versions=versions)
    save(model, out)
    _said(model, out)


def _said(model: Model, out: Path) -> None:
    c = model.calibration
    if c is not None:
        console.print(
            f"Alert threshold {c.alert_weight:g}: {c.measured_per_100:g} false alerts per 100 "
            f"cases on {c.background} (at most {c.false_alerts_per_100:g} allowed)"
        )
    console.print(f"Wrote {out} ({model.version}); use it with VIGIL_LINKAGE_MODEL={out}")


@app.command("calibrate")
def calibrate(
    model_path: Path | None = typer.Option(
        None, "--model", exists=True, dir_okay=False, help="Default: the model in use."
    ),
    out: Path = typer.Option(Path("model.json"), "--out", help="Where to write the model."),
    labels: Path | None = _LABELS,
    store: bool = typer.Option(
        False, "--store", help="Calibrate on the store's cases (confirmed series left out)."
    ),
    cases: int = typer.Option(
        training.REFERENCE_ROWS, "--cases", help="Size of the synthetic background."
    ),
    seed: int = typer.Option(training.CALIBRATION_SEED, "--seed"),
    per_100: float | None = _PER_100,
) -> None:
    """Set the alert threshold: score every pair the blocking rules admit in a background of
    unrelated deaths (a synthetic world by default; --store or --labels for real cases, their
    solved series left out) and keep the lowest weight at which at most the allowed false
    alerts per 100 cases would be raised. Saved in the model file beside m and u."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    path = model_path or settings.VIGIL.linkage_model or MODEL_PATH
    model = load(path)
    versions = None
    if store or labels:
        rows, pairs, versions = _source(labels)
        background = f"{'the store' if store else labels}: {len(rows)} cases"
    else:
        world = synthetic.generate(cases, seed)
        rows, pairs = world.rows, sorted(world.true_pairs())
        background = f"synthetic world (seed {seed}): {len(rows)} cases, planted series left out"
    with console.status(f"Scoring the blocked pairs of {len(rows)} cases..."):
        model = training.calibrate(
            model, rows, pairs, _per_100(per_100), background, versions=versions
        )
    save(model, out)
    _said(model, out)


@app.command("profiles")
def profiles(as_user: str | None = AS_USER) -> None:
    """Build every case's linkage profile again from its facts (after an upgrade changed the
    profile's shape: migration 0010 clears them); then re-link with `vigil link --all`."""
    with refused(), console.status("Building profiles...") as status:
        count = rebuild_profiles(actor(as_user), lambda text: status.update(text + "..."))
    console.print(f"Rebuilt {count} profiles; now re-link with `vigil link --all`.")
