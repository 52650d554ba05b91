"""`vigil link`, `vigil alerts`, `vigil judge`, `vigil series`, `vigil case answer-notice`:
linkage at the command line."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.domain.kinds import noun
from vigil.services import Verdict, link_pending, link_store, list_alerts, list_series, series_of
from vigil.services import answer_notice as answer
from vigil.services import judge_alert as judge

link_app = typer.Typer(no_args_is_help=True, help="Re-link cases.")
series_app = typer.Typer(no_args_is_help=True, help="Series formed by confirmed links.")


@link_app.callback(invoke_without_command=True)
def link(
    all_cases: bool = typer.Option(False, "--all", help="Re-link the whole store."),
    pending: bool = typer.Option(
        False, "--pending", help="Link only what a crash left unlinked (cheap; safe to repeat)."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark"),
    as_user: str | None = AS_USER,
) -> None:
    """Re-link the whole store with the model in use (batch), or only the cases a crash left
    unlinked (--pending)."""
    if all_cases == pending:
        err.print(
            "Use --all (the whole store) or --pending (what a crash left unlinked); a single "
            "case is re-linked whenever it changes."
        )
        raise typer.Exit(2)
    if pending:
        with refused(), console.status("Linking what a crash left...") as status:
            report = link_pending(actor(as_user), progress=lambda text: status.update(text + "..."))
        console.print(
            f"{report.cases} cases read, {report.links} links kept, {report.alerts} new alerts."
            if report.cases
            else "Nothing pending: every case is linked."
        )
        return
    if engine not in ("duckdb", "spark"):
        err.print(f"[red]Refused[/red] --engine: '{engine}' is not duckdb or spark")
        raise typer.Exit(2)
    with refused(), console.status("Linking...") as status:
        report = link_store(
            actor(as_user),
            engine=engine,  # type: ignore[arg-type]
            progress=lambda text: status.update(text + "..."),
        )
    console.print(f"{report.cases} cases, {report.links} links kept, {report.alerts} new alerts.")


def alerts(
    analyst: str | None = typer.Option(None, "--analyst", help="Only this analyst's."),
    all_alerts: bool = typer.Option(False, "--all", help="Answered ones too."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Alerts awaiting an answer, strongest first. Audited as a consultation."""
    with refused():
        rows = list_alerts(actor(as_user), face="cli", analyst=analyst, answered=all_alerts)
    if as_json:
        dumped = [row.model_dump(mode="json") for row in rows]
        sys.stdout.write(json.dumps(dumped, indent=2) + "\n")
        return
    table = Table("Link", "Cases", "Weight", "Analyst", "Why", title=f"{len(rows)} alerts")
    for row in rows:
        table.add_row(
            str(row.link),
            f"{row.a} ({noun(row.kind_a)}) ~ {row.b} ({noun(row.kind_b)})",
            str(row.match_weight),
            row.analyst,
            "\n".join(row.reasons[:4]),
        )
    console.print(table)


def judge_link(
    link_id: int,
    verdict: Verdict = typer.Option(..., "--verdict"),
    reason: str = typer.Option(..., "--reason"),
    as_user: str | None = AS_USER,
) -> None:
    """Answer an alert: confirm, reject or unsure, with a reason (as an analyst: --as NAME)."""
    with refused():
        judge(actor(as_user), link_id, verdict, reason)
    console.print(f"Link {link_id}: {verdict.value}.")


def answer_notice(
    reference: str,
    notice: str,
    result: str = typer.Option(..., "--result", help="What the team holding the record said."),
    as_user: str | None = AS_USER,
) -> None:
    """Answer a notice of a restricted link on a death (vigil case show REF lists its actions)."""
    with refused():
        answer(actor(as_user), reference, notice, result)
    console.print(f"Notice {notice} on {reference}: answered.")


@series_app.command("list")
def series_list(as_user: str | None = AS_USER) -> None:
    """Every series you may see: groups of cases joined by confirmed links."""
    with refused():
        groups = list_series(actor(as_user), face="cli")
    for group in groups:
        console.print(f"Series {group[0]}: {', '.join(group)}")


@series_app.command("show")
def series_show(
    reference: str,
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """The series a case belongs to: its cases in order (the timeline), map points, links."""
    with refused():
        page = series_of(actor(as_user), reference, face="cli")
    if as_json:
        data = {
            "name": page.name,
            "cases": [c.model_dump() for c in page.cases],
            "points": page.places,
            "links": [link.model_dump() for link in page.links],
        }
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        return
    console.print(f"[bold]{page.name}[/bold]")
    for case in page.cases:
        console.print(
            f"  {case.found_at:%Y-%m-%d %H:%M}  {case.reference}  {case.place_type}"
            if case.found_at
            else f"  {case.reference}"
        )
