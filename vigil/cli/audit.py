"""`vigil audit verify|checkpoint|show`: check the keyed chain against its signed checkpoints,
write a checkpoint, read the trail (who viewed or changed a case, what a user did)."""

from __future__ import annotations

import json
import sys

import typer
from django.conf import settings
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from vigil.audit import service as audit
from vigil.audit.checkpoints import CheckpointError
from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.services import MAX_PAGE, PAGE, audit_trail

app = typer.Typer(no_args_is_help=True, help="The audit trail.")


def progress_bar() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _check(bar: Progress, write: bool) -> None:
    task = bar.add_task("Verifying", total=None)
    try:
        result, mark = audit.verify_and_checkpoint(
            lambda n: bar.update(task, completed=n), write=write
        )
    except CheckpointError as exc:
        err.print(f"[red]Audit checkpoints refused[/red]: {exc}")
        raise typer.Exit(1) from None
    if not result.ok:
        err.print(
            f"[red]Audit trail broken at row {result.broken_seq}[/red]: {result.reason} "
            f"({result.checked} rows before it check)."
        )
        raise typer.Exit(1)
    against = f", against {result.checkpoints} signed checkpoints" if result.checkpoints else ""
    console.print(f"Audit trail intact: {result.checked} rows checked{against}.")
    if result.unkeyed:
        console.print(
            f"Rows 1 to {result.unkeyed} were written before the audit key; the signed row "
            "after them vouches for them."
        )
    if mark:
        path = settings.VIGIL.audit_checkpoints
        console.print(f"Checkpoint of {mark.rows} rows appended to {path}.")


@app.command("verify")
def verify(
    checkpoint: bool = typer.Option(
        True, "--checkpoint/--no-checkpoint", help="Append a signed checkpoint if it checks."
    ),
) -> None:
    """Check the audit trail: its keyed hash chain, and the signed checkpoints kept outside the
    database (VIGIL_AUDIT_CHECKPOINTS); name the first broken row or the missing ones. If it
    checks, append a new checkpoint."""
    with progress_bar() as bar:
        _check(bar, checkpoint)


@app.command("checkpoint")
def checkpoint() -> None:
    """Verify the trail and append a signed checkpoint of its head and row count (run it from
    cron, say, every hour: rows deleted from the end are found against the last one)."""
    with progress_bar() as bar:
        _check(bar, True)


@app.command("show")
def show(
    case: str | None = typer.Option(None, "--case", help="Who viewed or changed this case."),
    user: str | None = typer.Option(None, "--user", help="What this user did."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(PAGE, "--limit", min=1, max=MAX_PAGE, help="Rows per page."),
    page: int = typer.Option(1, "--page", min=1, help="1: the newest rows."),
    as_user: str | None = AS_USER,
) -> None:
    """The audit trail of a case, or of a user, or of both at once, newest first. Needs
    read_audit; the reading is audited too."""
    if not case and not user:
        err.print("[red]Refused[/red] give --case REF, --user NAME or both.")
        raise typer.Exit(2)
    with refused():
        trail = audit_trail(
            actor(as_user),
            case=case,
            user=user,
            face="cli",
            limit=limit,
            offset=(page - 1) * limit,
        )
    assert trail is not None
    if as_json:
        document = {
            "case": trail.case,
            "user": trail.user,
            "page": page,
            "has_next": trail.has_next,
            "rows": [line.as_json() for line in trail.lines],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    table = Table("Row", "When", "Who", "What", "Kind", "Through", title=trail.subject)
    for line in trail.lines:
        table.add_row(
            str(line.seq),
            line.at.isoformat(timespec="seconds"),
            line.actor,
            line.sentence,
            line.verb,
            line.face,
        )
    console.print(table)
    if trail.has_next:
        console.print(f"Older rows: --page {page + 1}")
