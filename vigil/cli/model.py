"""`vigil model train`: learn the linkage model from solved series."""

from __future__ import annotations

import logging
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import typer

from vigil.cli.common import console, err, read_records
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.linkage import training
from vigil.linkage.model import save
from vigil.records import models as m
from vigil.services.batchlink import store_rarity
from vigil.services.linking import stored_profile
from vigil.services.series import series_groups
from vigil.services.unit import utcnow

app = typer.Typer(no_args_is_help=True, help="The linkage model.")


def _from_file(file: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    records = read_records(file)
    now = utcnow()
    views = [record_view(r, now)[0] for r in records]
    counts = Counter(s.strip().lower() for v in views for s in set(v.report.toxicology.substances))
    rarity = linkprofile.Rarity(counts=counts, cases=len(views))
    rows = [linkprofile.build(v, rarity).row for v in views]
    members: dict[str, list[str]] = {}
    for record in records:
        if record.series:
            members.setdefault(record.series, []).append(record.reference)
    labels = [pair for refs in members.values() for pair in combinations(sorted(refs), 2)]
    return rows, labels


def _from_store() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    rarity = store_rarity()
    rows = [
        rarity.split(stored_profile(c).row)
        for c in m.Case.objects.exclude(profile={}).only("profile")
    ]
    labels = [pair for group in series_groups() for pair in combinations(group, 2)]
    return rows, labels


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
    rows, pairs = _from_file(labels) if labels else _from_store()
    if len(rows) < 2:
        err.print("[red]Refused[/red] cases: at least two cases are needed to train")
        raise typer.Exit(1)
    with console.status(f"Training on {len(rows)} cases and {len(pairs)} labelled pairs..."):
        model = training.train(rows, pairs, seed=seed)
    save(model, out)
    console.print(f"Wrote {out} ({model.version}); use it with VIGIL_LINKAGE_MODEL={out}")
