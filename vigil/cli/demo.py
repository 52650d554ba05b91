"""`vigil demo` and `vigil serve`."""

from __future__ import annotations

import io
import secrets
import socket
from dataclasses import replace
from pathlib import Path

import typer
from django.conf import settings
from django.core.management import call_command
from rich.table import Table

from vigil import services
from vigil.cli import server
from vigil.cli.common import actor, console, err
from vigil.demo.generate import generate, write_jsonl
from vigil.demo.users import DEMO_UNITS, DEMO_USERS
from vigil.domain.actor import Actor
from vigil.domain.receipts import new_receipt_code
from vigil.services import link_pending, set_password, store_is_empty, user_exists

WORKERS = typer.Option(
    server.default_workers(),
    "--workers",
    min=1,
    max=64,
    help="Server processes (default: two a core, and one more).",
)


UNITS_FILE = Path(__file__).parents[1] / "demo" / "units.geojson"


def _free_port(host: str, port: int) -> int:
    for candidate in range(port, port + 50):
        with socket.socket() as sock:
            if sock.connect_ex((host, candidate)) != 0:
                return candidate
    raise typer.BadParameter(f"no free port from {port} to {port + 49}", param_hint="--port")


def _serve(host: str, port: int, workers: int) -> None:
    # The pages' stylesheets and scripts (Vigil's own, and the npm packages' in node_modules) are
    # collected into STATIC_ROOT, which WhiteNoise serves; only changed files are copied again.
    if not (settings.NODE_MODULES / "govuk-frontend").is_dir():
        err.print(
            f"[yellow]No front-end packages in {settings.NODE_MODULES}: pages will have no styles "
            "or scripts. Run `make install` (it runs `npm ci`).[/yellow]"
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    # Finish what a crash left: cases whose facts changed but whose links were never stored.
    linked = link_pending(actor(None))
    if linked.cases:
        console.print(f"Linked {linked.links} links, {linked.alerts} alerts left by a crash.")
    port = _free_port(host, port)
    console.print(
        f"\n[bold green]Vigil is running at http://{host}:{port}/[/bold green]  (Ctrl-C to stop)"
    )
    server.run(host, port, workers)


def demo(
    cases: int = typer.Option(
        400, "--cases", min=0, help="Synthetic cases to load into an empty store (0: none)."
    ),
    seed: int = typer.Option(0, "--seed"),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the server afterwards."),
    workers: int = WORKERS,
) -> None:
    """Set up a demo store (synthetic data only), print the log-ins and start the server."""
    call_command("migrate", interactive=False, verbosity=0)
    operator = actor(None)
    loaded = services.load_units(operator, UNITS_FILE)  # before the cases: they are placed
    console.print(f"Loaded {loaded.units} synthetic command units.")
    logins = []
    for username, role, name in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        if user_exists(username):
            set_password(operator, username, password)
            authenticator = services.enrol_totp(operator, username)
        else:
            authenticator = services.create_user(
                operator, username, role, password, display_name=name, check_password=False
            )
        services.set_user_unit(operator, username, DEMO_UNITS.get(username))
        logins.append((username, password, role.value, authenticator))
    if cases and store_is_empty():
        buffer = io.StringIO()
        write_jsonl(generate(cases, seed=seed), buffer)
        buffer.seek(0)
        with console.status(f"Loading {cases} synthetic cases..."):
            report = services.import_lines(operator, buffer)
        console.print(f"Loaded {report.created} synthetic cases.")
        for error in report.errors[:5]:
            err.print(f"[red]{error}[/red]")
    table = Table(
        "User", "Password", "Role", "TOTP secret", title="Demo log-ins (synthetic data only)"
    )
    for username, password, role_name, authenticator in logins:
        table.add_row(username, password, role_name, authenticator.secret)
    console.print(table)
    console.print(
        "Signing in asks for the password, then a 6-digit code: add the TOTP secret to an "
        "authenticator app (or open its otpauth:// URI below), or run "
        "`oathtool --totp -b SECRET`. Secrets, like passwords, are new each time."
    )
    for username, _, _, authenticator in logins:
        console.print(f"  {username}: {authenticator.uri}", soft_wrap=True)
    _print_team_passphrase(_demo_team_key(operator))
    if serve:
        _serve(host, port, workers)


def _demo_team_key(operator: Actor) -> str | None:
    """Make the portal's team key with a new demo passphrase if there is none yet, and return
    the passphrase (kept nowhere: it is printed once); None if a team key exists already."""
    if services.team_key_exists():
        return None
    passphrase = new_receipt_code()  # seven random words
    public_key = services.make_team_key(operator, passphrase)
    # The settings were read before the key existed; the server started next seals to it.
    settings.VIGIL = replace(settings.VIGIL, portal_public_key=public_key)
    return passphrase


def _print_team_passphrase(passphrase: str | None) -> None:
    if passphrase is None:
        console.print(
            "The portal's team key exists already: open reports with the passphrase printed "
            "when it was made (or make a new one with `vigil portal keys --replace`)."
        )
        return
    console.print(
        f"Portal team passphrase (demo, shown this once): [bold]{passphrase}[/bold]",
        soft_wrap=True,
    )
    console.print("The safeguarding user types it to open a report from the portal.")


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = WORKERS,
) -> None:
    """Start the web server on this database (run `vigil migrate` first)."""
    _serve(host, port, workers)
