"""`vigil replay FILE`: when would the engine have raised each true series?"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import typer
from django.core.management import call_command
from rich.table import Table

from vigil.cli.common import actor, console, read_records, refused
from vigil.services.replay import replay as run_replay


def replay(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .jsonl file."),
    as_json: bool = typer.Option(False, "--json"),
    here: bool = typer.Option(
        False, "--here", help="Replay into this (empty) store instead of a temporary one."
    ),
) -> None:
    """Feed the cases, in the order their facts became known, into a fresh store through the
    same services; report each true series' first alert, whether it was joined, and the false
    alerts per 100 cases. Each line may carry "series" (never read by the engine)."""
    if not here:
        with tempfile.TemporaryDirectory(prefix="vigil-replay-") as tmp:
            env = dict(
                os.environ,
                VIGIL_HOME=tmp,
                VIGIL_DATABASE_URL=f"sqlite:///{Path(tmp) / 'replay.sqlite3'}",
            )
            subprocess.run(
                [sys.executable, "-m", "vigil", "demo", "--no-serve", "--cases", "0"],
                env=env,
                check=True,
                capture_output=True,
            )
            args = ["replay", str(file), "--here", *(["--json"] if as_json else [])]
            done = subprocess.run([sys.executable, "-m", "vigil", *args], env=env, check=False)
            raise typer.Exit(done.returncode)
    call_command("migrate", interactive=False, verbosity=0)
    records = read_records(file)
    with refused(), console.status("Replaying...") as status:
        report = run_replay(
            actor(None), records, progress=lambda d, n: status.update(f"Replaying: {d}/{n} events")
        )
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    table = Table(
        "Series",
        "Cases",
        "First alert",
        "Date",
        "Days in",
        "Joined",
        title=f"{report['cases']} cases, {report['false_alerts_per_100']} false alerts per 100",
    )
    for name, s in report["series"].items():
        table.add_row(
            name,
            str(s["cases"]),
            s["first_alert_case"] or "never",
            s["first_alert_date"] or "",
            str(s["days_from_start"] or ""),
            s["joined_date"] or "no",
        )
    console.print(table)
