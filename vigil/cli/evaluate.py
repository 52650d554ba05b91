"""`vigil evaluate ...`: linkage quality on data the model was not trained on."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import typer
from rich.table import Table

from vigil.cli.common import console, err

app = typer.Typer(no_args_is_help=True, help="Measure linkage quality against a peer.")


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
