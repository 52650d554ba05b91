"""`vigil model train`: learn the linkage model from solved series."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from vigil.cli.common import console, err, read_records
from vigil.linkage import training
from vigil.linkage.model import save
from vigil.services.training import from_records, from_store

app = typer.Typer(no_args_is_help=True, help="The linkage model.")


@app.command("train")
def train(
    labels: Path | None = typer.Option(
        None,
        "--labels",
        exists=True,
        dir_okay=False,
        help="A JSON Lines file of cases whose 'series' field names solved series "
        "(default: the store, with series formed by confirmed links).",
    ),
    out: Path = typer.Option(Path("model.json"), "--out", help="Where to write the model."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """u-probabilities by random sampling of the cases' pairs; m-probabilities from the solved
    series' pairs where there are any, the documented priors where not. Use the result with
    VIGIL_LINKAGE_MODEL=PATH."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    rows, pairs = from_records(read_records(labels)) if labels else from_store()
    if len(rows) < 2:
        err.print("[red]Refused[/red] cases: at least two cases are needed to train")
        raise typer.Exit(1)
    with console.status(f"Training on {len(rows)} cases and {len(pairs)} labelled pairs..."):
        model = training.train(rows, pairs, seed=seed)
    save(model, out)
    console.print(f"Wrote {out} ({model.version}); use it with VIGIL_LINKAGE_MODEL={out}")
