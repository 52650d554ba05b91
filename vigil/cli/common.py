"""What the commands share: the console, the acting user, error reporting."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.services import ServiceError, actor_for

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
