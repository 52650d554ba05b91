"""`vigil rates`: the rate alerts `vigil cusum --store` raises, at the command line as on the web
(/alerts/rates/) and the API (/api/rate-alerts): list them, open one, answer it. Every rule
(who may read, who may answer, what an answer needs, the audit) is the service's."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from vigil.cli.common import AS_USER, actor, console, refused
from vigil.services import (
    RATE_STATUSES,
    RateVerdict,
    judge_rate_alert,
    list_rate_alerts,
    rate_alert,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Rate alerts: a certifier, institution or unit with more deaths than expected.",
)


@app.command("alerts")
def alerts(
    status: str = typer.Option(
        "awaiting", "--status", help="Which: " + ", ".join(RATE_STATUSES) + "."
    ),
    analyst: str | None = typer.Option(None, "--analyst", help="Only this analyst's."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Rate alerts, newest first (awaiting an answer unless --status says otherwise). Audited
    as a consultation."""
    with refused():
        rows = list_rate_alerts(actor(as_user), face="cli", status=status, analyst=analyst)
    if as_json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in rows], indent=2) + "\n")
        return
    table = Table(
        "Alert", "Grouped by", "Group", "Signal", "Analyst", "Why", title=f"{len(rows)} rate alerts"
    )
    for row in rows:
        table.add_row(
            str(row.id),
            row.kind,
            row.group,
            f"{row.signal_month:%b %Y}",
            row.analyst or "nobody yet",
            row.explanation,
        )
    console.print(table)


@app.command("show")
def show(
    alert_id: int = typer.Argument(..., metavar="ALERT"),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """One rate alert: why, its chart month by month, the deaths of its run you may see, and
    its answers. Audited as a consultation."""
    with refused():
        page = rate_alert(actor(as_user), alert_id, face="cli")
    if as_json:
        sys.stdout.write(json.dumps(page.model_dump(mode="json"), indent=2) + "\n")
        return
    console.print(f"Rate alert {page.id}: {page.kind} {page.group}")
    console.print(page.explanation)
    chart = Table("Month", "Observed", "Expected", "CUSUM", title=f"Threshold {page.threshold:g}")
    for month in page.months:
        chart.add_row(
            f"{month.month:%b %Y}",
            str(month.observed),
            f"{month.expected:.2f}",
            f"{month.cusum:.2f}",
        )
    console.print(chart)
    console.print("Deaths you may see: " + (", ".join(page.cases) or "none"))
    for answer in page.answers:
        console.print(f"{answer.at:%Y-%m-%d %H:%M} {answer.by}: {answer.verdict} ({answer.reason})")
    if not page.answers:
        console.print("Not answered yet.")


@app.command("judge")
def judge(
    alert_id: int = typer.Argument(..., metavar="ALERT"),
    verdict: RateVerdict = typer.Option(..., "--verdict"),
    reason: str = typer.Option(..., "--reason"),
    as_user: str | None = AS_USER,
) -> None:
    """Answer a rate alert: concern or no_concern, with a reason (as an analyst: --as NAME).
    Answers are kept; the latest is the one in force."""
    with refused():
        judge_rate_alert(actor(as_user), alert_id, verdict, reason)
    console.print(f"Rate alert {alert_id}: {verdict.value}.")
