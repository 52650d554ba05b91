"""`vigil replay FILE`: when would the engine have raised each true series?"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from vigil.cli.common import actor, console, read_records, refused
from vigil.services import replay as run_replay


def replay(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .jsonl file."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Replay the cases as their facts became known, with the same profile, model, blocking,
    thresholds and cluster check as online (in batch; nothing is written to the store);
    report each true series' first alert (pair or cluster), when it was joined, and the false
    alerts of each kind per 100 cases. Each line may carry "series" (never read by the
    engine)."""
    records = read_records(file)
    with refused(), console.status("Replaying...") as status:
        report = run_replay(actor(None), records, progress=lambda text: status.update(text))
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    table = Table(
        "Series",
        "Cases",
        "First alert",
        "Kind",
        "Date",
        "Days in",
        "Joined",
        title=(
            f"{report['cases']} cases; false alerts per 100: "
            f"{report['false_pair_alerts_per_100']} pair, "
            f"{report['false_cluster_alerts_per_100']} cluster"
        ),
    )
    for name, s in report["series"].items():
        table.add_row(
            name,
            str(s["cases"]),
            s["first_alert_case"] or "never",
            s["first_alert_kind"] or "",
            s["first_alert_date"] or "",
            str(s["days_from_start"] if s["days_from_start"] is not None else ""),
            s["joined_date"] or "no",
        )
    console.print(table)
    print_judged(report)


def print_judged(report: dict[str, Any]) -> None:
    """The judged replay's joins and false alerts, under a replay's table."""
    judged = report.get("judged")
    if not judged:
        return
    joined = "; ".join(
        f"{name} joined {s['joined_date'] or 'never'}" for name, s in judged["series"].items()
    )
    console.print(
        f"judged as an analyst who knew the series would: {joined or 'no true series'}; "
        f"false alerts per 100 cases: {judged['false_pair_alerts_per_100']} pair, "
        f"{judged['false_cluster_alerts_per_100']} cluster (footprints included)"
    )
