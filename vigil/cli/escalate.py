"""`vigil escalate`: pass every overdue item (checklist items, the panel's advice, reports from
the portal left unanswered) up the policy pack's escalation chain (owner, their supervisor, the
unit's duty inspector), once per step. Run it every few minutes
from cron or a systemd timer; a run that finds nothing new changes nothing."""

from __future__ import annotations

from datetime import datetime

import typer

from vigil import services
from vigil.cli.common import AS_USER, actor, console, err, refused


def escalate(
    at: str | None = typer.Option(
        None, "--at", help="Escalate as of this time (ISO 8601 with its offset; default: now)."
    ),
) -> None:
    """Tell the people the policy names that items are overdue (in the app, and by e-mail
    where they have an address and the server's e-mail is set up). Audited step by step."""
    now = None
    if at is not None:
        try:
            now = datetime.fromisoformat(at)
        except ValueError:
            err.print(f"[red]Refused[/red] --at: '{at}' is not a date and time (ISO 8601)")
            raise typer.Exit(2) from None
        if now.tzinfo is None:
            err.print(f"[red]Refused[/red] --at: '{at}' has no offset (add Z or +01:00)")
            raise typer.Exit(2)
    run = services.escalate(now)
    console.print(
        f"{run.sent} step(s) sent ({run.emailed} by e-mail too); "
        f"{run.not_sent} could not reach anyone entitled to know of the item."
    )


def user_supervisor(
    username: str,
    supervisor: str = typer.Argument(..., help="Their supervisor's username ('' for nobody)."),
    as_user: str | None = AS_USER,
) -> None:
    """Record who supervises a user: the second step of escalation."""
    with refused():
        services.set_supervisor(actor(as_user), username, supervisor)
    console.print(f"{username} is supervised by {supervisor or 'nobody'}.")


def unit_duty(
    unit: str,
    inspector: str = typer.Argument(..., help="The duty inspector's username ('' for nobody)."),
    as_user: str | None = AS_USER,
) -> None:
    """Record a command unit's duty inspector: the last step of escalation."""
    with refused():
        services.set_duty_inspector(actor(as_user), unit, inspector)
    console.print(f"The duty inspector of {unit} is {inspector or 'nobody'}.")
