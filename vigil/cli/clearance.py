"""`vigil clusters clearance`: unsolved-homicide clusters by the Murder Accountability Project's
rule, over a file of Supplementary Homicide Reports (nothing is read from or written to the
store)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.table import Table

from vigil.cli.common import console, err
from vigil.domain.errors import DomainError
from vigil.oversight import clearance as rule


@contextmanager
def refused_options(names: dict[str, str]) -> Iterator[None]:
    """A refusal from the pure layer as a message naming the option (``names`` maps its
    field to the option) and exit status 1, as `refused` does for a service."""
    try:
        yield
    except DomainError as exc:
        err.print(f"[red]Refused[/red] {names.get(exc.field, exc.field)}: {exc.reason}")
        raise typer.Exit(1) from None


OPTIONS = {
    "years": "--years",
    "geo": "--geo",
    "sex": "--sex",
    "max_clearance": "--max-clearance",
    "min_victims": "--min-victims",
    "file": "FILE",
}


def clearance(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="SHR victim records, CSV or CSV.gz (MAP's layout)."
    ),
    years: str | None = typer.Option(None, "--years", help="Only these years, e.g. 1980-2000."),
    geo: str = typer.Option("county", "--geo", help="county or msa (metropolitan area)."),
    sex: str = typer.Option("female", "--sex", help="Victims' sex: female, male or all."),
    max_clearance: float = typer.Option(
        0.33, "--max-clearance", help="Groups solved at or below this share (0-1)."
    ),
    min_victims: int = typer.Option(2, "--min-victims", help="Groups of at least this many."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Groups of victims (area x sex x weapon) whose clearance rate is at or below the
    threshold, most unsolved first: MAP's screen for possible serial killings. A low
    clearance is a reason to look, not proof of a link."""
    with refused_options(OPTIONS):
        settings = rule.Settings(
            years=rule.parse_years(years) if years else None,
            geo=rule.choice(rule.Geo, "geo", geo),
            sex=rule.choice(rule.Sex, "sex", sex),
            max_clearance=max_clearance,
            min_victims=min_victims,
        )
        groups = rule.clusters(rule.read(file), settings)
    if as_json:
        sys.stdout.write(json.dumps([g.to_dict() for g in groups], indent=2) + "\n")
        return
    table = Table(
        "Area",
        "Sex",
        "Weapon",
        "Victims",
        "Solved",
        "Unsolved",
        "Clearance",
        "Years",
        title=f"{len(groups)} groups solved at or below {settings.max_clearance:.0%}",
    )
    for g in groups:
        table.add_row(
            g.area,
            g.sex,
            g.weapon,
            str(g.victims),
            str(g.solved),
            str(g.unsolved),
            f"{g.clearance:.0%}",
            f"{g.first_year}-{g.last_year}",
        )
    console.print(table)
