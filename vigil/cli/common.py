"""What the commands share: the console, the acting user, error reporting."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.interchange.record import CaseRecord
from vigil.services import LineError, ServiceError, actor_for, parse_line

console = Console()
err = Console(stderr=True)

AS_USER = typer.Option(
    None, "--as", envvar="VIGIL_USER", help="Act as this Vigil user (default: the OS user)."
)


def actor(username: str | None) -> Actor:
    """A named Vigil user, or the operator at the shell (recorded as cli:<os user>)."""
    if username:
        return actor_for(username)
    return Actor(f"cli:{getpass.getuser()}", UserRole.ADMINISTRATOR)


@contextmanager
def refused() -> Iterator[None]:
    """Turn a service's refusal into a clear message and exit status 1."""
    try:
        yield
    except ServiceError as exc:
        err.print(
            f"[red]Refused[/red] {exc.field}: {exc.reason}"
            if exc.field
            else f"[red]Refused[/red] {exc.reason}"
        )
        raise typer.Exit(1) from None


def read_records(file: Path) -> list[CaseRecord]:
    """The cases of a JSON Lines file; every bad line is reported and nothing is returned."""
    records: list[CaseRecord] = []
    problems: list[LineError] = []
    with file.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, start=1):
            if text.strip():
                parsed = parse_line(number, text)
                if isinstance(parsed, CaseRecord):
                    records.append(parsed)
                else:
                    problems.append(parsed)
    for problem in problems:
        err.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    return records
