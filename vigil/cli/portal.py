"""`vigil portal keys`: the safeguarding team's key pair for the public portal.

The portal seals every report to the team's public key; the team's private key is written only
protected by the team's passphrase, which a safeguarding officer types to open a report. Lose
the passphrase and the reports sealed so far cannot be read by anyone (that is the point);
replace the key pair and the same is true of the reports sealed to the old one.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from django.conf import settings

from vigil import services
from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.domain.sealing import MIN_PASSPHRASE_LENGTH

app = typer.Typer(no_args_is_help=True, help="The public portal.")

REPLACING = (
    "Replacing the team key makes every report and message sealed to the old key unreadable "
    "to the team, for good. Keep the old key files and passphrase if those must still be read."
)


def _passphrase(file: Path | None) -> str:
    """The passphrase: the first line of ``file``, or typed twice at a hidden prompt."""
    if file is not None:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            err.print(f"[red]Cannot read the passphrase file[/red] {file}: {exc.strerror}")
            raise typer.Exit(1) from None
        return lines[0] if lines else ""
    return str(
        typer.prompt(
            f"The team passphrase (at least {MIN_PASSPHRASE_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt="The same passphrase again",
        )
    )


@app.command("keys")
def keys(
    passphrase_file: Path | None = typer.Option(
        None,
        "--passphrase-file",
        dir_okay=False,
        help="Read the passphrase from the first line of this file instead of asking for it.",
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Replace the team key that exists (see the warning it gives)."
    ),
    as_user: str | None = AS_USER,
) -> None:
    """Make the safeguarding team's key pair: the private key protected by the team's
    passphrase, and the public key the portal seals reports to."""
    if services.team_key_exists() and not replace:
        err.print(
            "[red]Refused[/red] a team key exists already at "
            f"{settings.VIGIL.portal_identity_file}. {REPLACING} To do it anyway, add --replace."
        )
        raise typer.Exit(1)
    if replace and services.team_key_exists():
        err.print(f"[yellow]{REPLACING}[/yellow]")
    passphrase = _passphrase(passphrase_file)
    with refused():
        public_key = services.make_team_key(actor(as_user), passphrase, replace=replace)
    vigil = settings.VIGIL
    console.print(
        f"The team's private key, protected by the passphrase: {vigil.portal_identity_file}"
    )
    console.print(f"The public key the portal seals reports to: {vigil.portal_public_key_file}")
    console.print(f"Public key: {public_key}")
    console.print(
        "Give the passphrase only to the safeguarding officers who triage the portal's reports. "
        "If it is lost, no one can read the reports sealed to this key: keep a copy somewhere safe."
    )
    if os.environ.get("VIGIL_PORTAL_PUBLIC_KEY", "").strip() not in ("", public_key):
        err.print(
            "[yellow]VIGIL_PORTAL_PUBLIC_KEY is set to another key and wins over the file: set it "
            f"to {public_key} (or unset it), or the portal will seal to the other key.[/yellow]"
        )
    console.print("Restart the server for the portal to use the new key.")
