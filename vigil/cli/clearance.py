"""`vigil clusters clearance`: unsolved-homicide clusters by the Murder Accountability Project's
rule, over a file of Supplementary Homicide Reports (nothing is read from or written to the
store), or with ``--store`` over the store's own deaths (``services.store_clearance``: unit x
sex x how the death was caused; read as a Vigil user with ``view_oversight``, audited)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.table import Table

from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.domain.errors import DomainError
from vigil.oversight import clearance as rule
from vigil.services import StoreClearance, store_clearance


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
    file: Path | None = typer.Argument(
        None,
        exists=True,
        dir_okay=False,
        help="SHR victim records, CSV or CSV.gz (MAP's layout); or give --store.",
    ),
    store: bool = typer.Option(
        False, "--store", help="The store's own deaths: unit x sex x cause.mechanism."
    ),
    years: str | None = typer.Option(None, "--years", help="Only these years, e.g. 1980-2000."),
    geo: str | None = typer.Option(
        None, "--geo", help="county (the default) or msa (metropolitan area); files only."
    ),
    sex: str | None = typer.Option(
        None,
        "--sex",
        help="Victims' sex: female, male or all (default female; all with --store).",
    ),
    max_clearance: float = typer.Option(
        0.33, "--max-clearance", help="Groups solved at or below this share (0-1)."
    ),
    min_victims: int = typer.Option(2, "--min-victims", help="Groups of at least this many."),
    as_json: bool = typer.Option(False, "--json"),
    as_user: str | None = AS_USER,
) -> None:
    """Groups of victims (area x sex x weapon) whose clearance rate is at or below the
    threshold, most unsolved first: MAP's screen for possible serial killings. A low
    clearance is a reason to look, not proof of a link. With --store: the store's deaths by
    command unit x sex x how the death was caused (charged is solved; open and closed without
    charge are not; no crime, and no outcome recorded, are left out)."""
    if (file is None) == (not store):
        err.print("[red]Refused[/red] FILE: give a file of SHR records or --store, not both")
        raise typer.Exit(1)
    if store and geo is not None:
        err.print("[red]Refused[/red] --geo: the store's deaths are grouped by command unit")
        raise typer.Exit(1)
    with refused_options(OPTIONS):
        settings = rule.Settings(
            years=rule.parse_years(years) if years else None,
            geo=rule.choice(rule.Geo, "geo", geo or "county"),
            sex=rule.choice(rule.Sex, "sex", sex or ("all" if store else "female")),
            max_clearance=max_clearance,
            min_victims=min_victims,
        )
        if file is None:
            with refused():
                found = store_clearance(actor(as_user), settings, face="cli")
            _show_store(found, as_json)
            return
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


def _show_store(found: StoreClearance, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(found.to_dict(), indent=2) + "\n")
        return
    table = Table(
        "Unit",
        "Sex",
        "How caused",
        "Deaths",
        "Solved",
        "Unsolved",
        "Clearance",
        "Years",
        title=f"{len(found.groups)} groups of the store's deaths solved at or below "
        f"{found.settings.max_clearance:.0%}",
    )
    for g in found.groups:
        table.add_row(
            g.unit_name,
            g.sex,
            g.mechanism,
            str(g.victims),
            str(g.solved),
            str(g.unsolved),
            f"{g.clearance:.0%}",
            f"{g.first_year}-{g.last_year}",
        )
    console.print(table)
    err.print(
        f"{found.counted} deaths counted; left out: {found.no_crime} where the investigation "
        f"found no crime, {found.not_recorded} with no outcome recorded."
    )
