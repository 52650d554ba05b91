"""`vigil units load|list` and `vigil user set-unit`: the command units (boroughs, BCUs, the
force above them) from a GeoJSON file, and which unit a user works in."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from vigil import services
from vigil.cli.common import AS_USER, actor, console, err, refused

app = typer.Typer(no_args_is_help=True, help="Command units (boroughs) and their boundaries.")


def _moves(given: list[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs as a mapping; a pair without '=' stops the command, named."""
    moves: dict[str, str] = {}
    for pair in given:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            err.print(f"[red]Refused[/red] --move: '{pair}' is not OLD=NEW (two units' codes)")
            raise typer.Exit(2)
        moves[old.strip()] = new.strip()
    return moves


@app.command("load")
def load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A GeoJSON file."),
    move: list[str] = typer.Option(
        [],
        "--move",
        help="OLD=NEW: the cases and users of unit OLD, which the file removes, go to NEW.",
    ),
    as_user: str | None = AS_USER,
) -> None:
    """Replace the command units with those of a GeoJSON FeatureCollection (each feature a
    polygon with the properties code, name and optionally parent) and place every case
    again. Refused, with every problem named, if the file is broken, or if removing a unit
    would leave cases without one (say where they go with --move)."""
    with refused():
        loaded = services.load_units(actor(as_user), file, moves=_moves(move))
    console.print(
        f"Loaded {loaded.units} units from {file.name}: "
        f"{len(loaded.added)} new, {len(loaded.removed)} removed; "
        f"{loaded.cases_placed} cases changed unit."
    )
    for old, count in loaded.cases_moved.items():
        console.print(f"  {count} cases of {old} moved (recorded on their reports).")
    for old, count in loaded.users_moved.items():
        console.print(f"  {count} users of {old} moved or left without a unit.")


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_user: str | None = AS_USER,
) -> None:
    """The units, each with the cases you may see in it and in the units below it."""
    with refused():
        rows = services.list_units(actor(as_user), face="cli")
    if as_json:
        sys.stdout.write(json.dumps([row.model_dump() for row in rows], indent=2) + "\n")
        return
    if not rows:
        console.print("No command units are loaded (vigil units load FILE).")
        return
    table = Table("Code", "Name", "Above", "Cases", "With units below", title="Command units")
    for row in rows:
        table.add_row(row.code, row.name, row.parent, str(row.cases), str(row.cases_within))
    console.print(table)


def user_set_unit(
    username: str,
    unit: str = typer.Argument("", help="The unit's code; leave it out for no unit."),
    as_user: str | None = AS_USER,
) -> None:
    """Put a user in a command unit (their lists start from its cases), or in none."""
    with refused():
        services.set_user_unit(actor(as_user), username, unit or None)
    console.print(f"{username} is now in {unit}." if unit else f"{username} is in no unit now.")
