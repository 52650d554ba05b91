"""The command tree."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

import typer
from django.core.management import call_command
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from vigil import services
from vigil.cli import access, bench, clusters, demo, evaluate, linking, model, replay, units
from vigil.cli import audit as audit_commands
from vigil.cli import backup as backup_commands
from vigil.cli import clearance as clearance_commands
from vigil.cli import cusum as cusum_commands
from vigil.cli import escalate as escalate_commands
from vigil.cli import portal as portal_commands
from vigil.cli import rate_alerts as rate_commands
from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.domain.enums import ACTION_DONE, UserRole
from vigil.domain.kinds import a_kind
from vigil.domain.kinds import noun as kind_words
from vigil.interchange.record import CaseRecord
from vigil.services import case_document, read_lines

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
case_app = typer.Typer(no_args_is_help=True, help="Look at one case.")
user_app = typer.Typer(no_args_is_help=True, help="Users and roles.")
app.add_typer(case_app, name="case")
app.add_typer(audit_commands.app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(bench.app, name="bench")
app.add_typer(evaluate.app, name="evaluate")
app.add_typer(model.app, name="model")
app.add_typer(linking.link_app, name="link")
app.add_typer(linking.series_app, name="series")
app.add_typer(clusters.app, name="clusters")
app.add_typer(rate_commands.app, name="rates")
app.add_typer(portal_commands.app, name="portal")
app.add_typer(units.app, name="units")
clusters.app.command("clearance")(clearance_commands.clearance)
app.command("cusum")(cusum_commands.cusum)
app.command("escalate")(escalate_commands.escalate)
app.command("alerts")(linking.alerts)
app.command("judge")(linking.judge_link)
app.command("replay")(replay.replay)
app.command("demo")(demo.demo)
app.command("serve")(demo.serve)
app.command("backup")(backup_commands.backup)
app.command("restore")(backup_commands.restore)
user_app.command("totp")(access.user_totp)
user_app.command("role")(access.user_role)
user_app.command("deactivate")(access.user_deactivate)
user_app.command("reactivate")(access.user_reactivate)
user_app.command("set-unit")(units.user_set_unit)
user_app.command("supervisor")(escalate_commands.user_supervisor)
units.app.command("duty")(escalate_commands.unit_duty)
case_app.command("restrict")(access.case_restrict)
case_app.command("unrestrict")(access.case_unrestrict)
case_app.command("name")(access.case_name)
case_app.command("unname")(access.case_unname)
case_app.command("answer-notice")(linking.answer_notice)


@app.command()
def migrate() -> None:
    """Create or upgrade the database (VIGIL_DATABASE_URL)."""
    call_command("migrate", interactive=False, verbosity=0)
    console.print("Database is up to date.")


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


@app.command("import")
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .jsonl file."),
    as_user: str | None = AS_USER,
    link: bool = typer.Option(
        True,
        "--link/--no-link",
        help="Link the new cases at the end (default). --no-link: for a migration of many "
        "files; run `vigil link --all` after the last.",
    ),
) -> None:
    """Import cases from JSON Lines. Same reference = update; bad lines are reported and
    skipped, good lines are kept."""
    who = actor(as_user)
    with file.open("rb") as fh:  # bytes: each line is decoded on its own, so one bad byte
        total = sum(1 for line in read_lines(fh) if line.strip())  # refuses its line only
    with _progress() as bar, file.open("rb") as fh:
        task = bar.add_task("Importing", total=total)
        report = services.import_lines(
            who,
            read_lines(fh),
            progress=lambda n: bar.update(task, completed=n),
            link=link,
            source=file.name,
        )
    console.print(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.errors)} refused."
    )
    if report.linked:
        console.print(f"Linked: {report.linked.links} links, {report.linked.alerts} new alerts.")
    for error in report.errors:
        err.print(f"[red]{error}[/red]")
    if report.errors:
        raise typer.Exit(1)


def _owner_only(path: Path) -> TextIO:
    """A file for case data, readable by its owner only (even one that existed before)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="")


@app.command()
def export(
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or geojson"),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)."),
    case: list[str] = typer.Option([], "--case", help="Only these references."),
    as_user: str | None = AS_USER,
) -> None:
    """Export cases (the interchange JSON Lines, CSV or GeoJSON). Audited as a disclosure."""
    who = actor(as_user)
    if fmt not in services.EXPORT_FORMATS:
        err.print(f"[red]Refused[/red] --format: '{fmt}' is not one of jsonl, csv, geojson")
        raise typer.Exit(2)
    stream = _owner_only(out) if out else sys.stdout
    try:
        count = services.export_cases(who, stream, fmt=fmt, references=case or None)
    finally:
        if out:
            stream.close()
    err.print(f"Exported {count} cases.")


@app.command()
def schema(out: Path | None = typer.Option(None, "--out")) -> None:
    """Print (or write) the JSON Schema of the interchange format."""
    text = json.dumps(CaseRecord.model_json_schema(), indent=2, sort_keys=True) + "\n"
    if out:
        out.write_text(text)
    else:
        sys.stdout.write(text)


@case_app.command("show")
def case_show(
    reference: str,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_of: datetime | None = typer.Option(None, "--as-of", help="The case as it stood then."),
    as_user: str | None = AS_USER,
) -> None:
    """A case: facts, persons, category, floor, unmet checklist items with reasons and open
    actions. Audited as a consultation."""
    with refused():
        when = as_of.astimezone() if as_of else None
        state = services.view_case(actor(as_user), reference, face="cli", as_of=when)
    document = case_document(state)
    if as_json:
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    ev = state.evaluation
    kind = state.view.report.kind
    console.print(f"[bold]{reference}[/bold]  {kind_words(kind)}  version {state.version}")
    if ev is None:  # not a death: no category, floor or checklist
        console.print(f"{a_kind(kind).capitalize()} has no category or checklist.")
        return
    console.print(f"Category: {ev.category.label}   floor: {ev.floor.label}")
    console.print(f"Rationale: {ev.category_rationale}")
    for reason in ev.floor_reasons:
        console.print(f"  floor {reason.category.label}: {reason.reason}")
    table = Table("Unmet item", "Reason", "Owner", "Deadline", title="Checklist")
    for item in ev.unmet:
        deadline = item.deadline.isoformat(timespec="minutes") if item.deadline else ""
        table.add_row(
            item.title,
            item.reason,
            item.owner_role.value,
            f"[red]{deadline} overdue[/red]" if item.overdue else deadline,
        )
    console.print(table)
    waiting = [a for a in state.view.actions if a.state not in ACTION_DONE]
    if waiting:
        actions = Table("Action", "Title", "Owner", "Deadline", "State", title="Open actions")
        for a in waiting:
            due = a.deadline.isoformat(timespec="minutes") if a.deadline else ""
            actions.add_row(a.ref, a.title, a.owner or "", due, a.state.value)
        console.print(actions)


@app.command()
def checklist(
    overdue: bool = typer.Option(False, "--overdue", help="Only items past their deadline."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Unmet checklist items past their deadline, across the cases you may see, oldest first."""
    if not overdue:
        err.print("Use --overdue (the full checklist of one case: vigil case show REF).")
        raise typer.Exit(2)
    with refused():
        items = services.overdue_items(actor(as_user))
    if as_json:
        rows = [dict(item.__dict__, deadline=item.deadline.isoformat()) for item in items]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("Case", "Item", "Reason", "Owner", "Deadline", title=f"{len(items)} overdue")
    for item in items:
        table.add_row(
            item.reference,
            item.title,
            item.reason,
            item.owner_role,
            item.deadline.isoformat(timespec="minutes"),
        )
    console.print(table)


@user_app.command("create")
def user_create(
    username: str,
    role: UserRole = typer.Option(..., "--role"),
    display_name: str = typer.Option("", "--name"),
    as_user: str | None = AS_USER,
) -> None:
    """Create a user with a TOTP authenticator; the password is asked for twice, and the
    authenticator's secret and otpauth:// URI are printed."""
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with refused():
        authenticator = services.create_user(
            actor(as_user), username, role, password, display_name=display_name
        )
    console.print(f"Created {username} ({role.value}).")
    access.print_authenticator(username, authenticator)
