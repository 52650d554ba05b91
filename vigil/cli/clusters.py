"""`vigil clusters`: cluster detection at the command line (scan, alerts, judge)."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.services import Verdict, judge_cluster, list_cluster_alerts, scan_store

app = typer.Typer(no_args_is_help=True, help="Clusters of similar deaths (the second engine).")


@app.command("scan")
def scan(
    profile: str | None = typer.Option(None, "--profile", help="Only this profile."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Scan the whole store for clusters (retrospective), profile by profile; clusters at or
    below VIGIL_CLUSTER_ALPHA become cluster alerts."""
    with refused(), console.status("Scanning...") as status:
        report = scan_store(
            actor(as_user), profile=profile, progress=lambda text: status.update(text + "...")
        )
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        return
    for item in report.profiles:
        best = item.clusters[0] if item.clusters else None
        line = f"{item.profile}: {item.cases} deaths"
        if best:
            line += f", most likely cluster {len(best['cases'])} deaths, p = {best['p']:.3f}"
        console.print(line + f", {len(item.alerts)} new alerts")
    err.print(f"{report.alerts} new cluster alerts.")


@app.command("alerts")
def alerts(
    analyst: str | None = typer.Option(None, "--analyst", help="Only this analyst's."),
    all_alerts: bool = typer.Option(False, "--all", help="Answered ones too."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Cluster alerts awaiting an answer, newest first. Audited as a consultation."""
    with refused():
        rows = list_cluster_alerts(actor(as_user), face="cli", analyst=analyst, answered=all_alerts)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("Alert", "Cases", "Analyst", "Why", title=f"{len(rows)} cluster alerts")
    for row in rows:
        table.add_row(
            str(row["alert"]), ", ".join(row["cases"]), row["analyst"], row["explanation"]
        )
    console.print(table)


@app.command("judge")
def judge(
    alert_id: int,
    verdict: Verdict = typer.Option(..., "--verdict"),
    reason: str = typer.Option(..., "--reason"),
    as_user: str | None = AS_USER,
) -> None:
    """Answer a cluster alert: confirm (its deaths join a series), reject or unsure."""
    with refused():
        judge_cluster(actor(as_user), alert_id, verdict, reason)
    console.print(f"Cluster alert {alert_id}: {verdict.value}.")
