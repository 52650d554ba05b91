"""`vigil cusum`: deaths per period per unit against their expected counts, a Poisson CUSUM per
unit, from a file (nothing is read from or written to the store); or with ``--store`` the
store's own screen (``services.screen_rates``: per certifier, institution and command unit,
each signal a rate alert before a named analyst; run as a Vigil user with ``relink``)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import typer
from django.conf import settings
from rich.table import Table

from vigil.cli.clearance import refused_options
from vigil.cli.common import AS_USER, actor, console, err, refused
from vigil.oversight import monitor
from vigil.services import ScreenSummary, screen_rates

OPTIONS = {
    "file": "FILE",
    "rate_ratio": "--ratio",
    "threshold": "--threshold",
    "false_alarm_interval": "--false-alarm",
}


def _refuse(option: str, reason: str) -> None:
    err.print(f"[red]Refused[/red] {option}: {reason}")
    raise typer.Exit(1)


def cusum(
    file: Path | None = typer.Argument(
        None,
        exists=True,
        dir_okay=False,
        help="CSV with columns unit, period and the two below; or give --store.",
    ),
    expected: str | None = typer.Option(None, "--expected", help="Column of deaths expected."),
    observed: str | None = typer.Option(None, "--observed", help="Column of deaths observed."),
    ratio: float = typer.Option(2.0, "--ratio", help="Rate ratio to detect (2 = doubled)."),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        help="Signal threshold h (default VIGIL_CUSUM_THRESHOLD, unless --false-alarm).",
    ),
    false_alarm: float | None = typer.Option(
        None,
        "--false-alarm",
        help="Choose h per unit by simulation: one false alarm in this many periods on average.",
    ),
    store: bool = typer.Option(
        False,
        "--store",
        help="Screen the store's deaths per certifier, institution and unit; raise rate alerts.",
    ),
    at: str | None = typer.Option(
        None, "--at", help="With --store: as on this day (YYYY-MM-DD; default today)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON, with each chart's values."),
    as_user: str | None = AS_USER,
) -> None:
    """Per unit, the first period at which its risk-adjusted CUSUM signalled (deaths above
    the expected rate by the ratio) and the chart's largest value. With --store: the store's
    rate screen (rate ratio 2, threshold VIGIL_CUSUM_THRESHOLD); running it again raises no
    signal twice."""
    if (file is None) == (not store):
        _refuse("FILE", "give a file of periods or --store, not both")
    if store:
        for option, value in (
            ("--expected", expected),
            ("--observed", observed),
            ("--threshold", threshold),
            ("--false-alarm", false_alarm),
        ):
            if value is not None:
                _refuse(option, "the store's screen takes its threshold from VIGIL_CUSUM_THRESHOLD")
        if ratio != 2.0:
            _refuse("--ratio", "the store's screen looks for a doubled rate (2)")
        _store(at, as_json, as_user)
        return
    if at is not None:
        _refuse("--at", "a file is screened as it is; --at is for --store")
    if expected is None or observed is None:
        _refuse("--expected" if expected is None else "--observed", "name the file's column")
    assert file is not None and expected is not None and observed is not None
    if threshold is None and false_alarm is None:
        threshold = settings.VIGIL.cusum_threshold
    with refused_options(OPTIONS):
        per_unit = monitor.units(monitor.read(file, observed, expected), observed, expected)
        charts = monitor.charts(per_unit, ratio, threshold, false_alarm)
    if as_json:
        sys.stdout.write(json.dumps([c.to_dict() for c in charts], indent=2) + "\n")
        return
    table = Table(
        "Unit",
        "Periods",
        "Observed",
        "Expected",
        "Signalled at",
        "Largest",
        "Threshold",
        title=f"{sum(c.signal_period is not None for c in charts)} of {len(charts)} units "
        f"signalled (rate ratio {ratio:g})",
    )
    for c in charts:
        row = c.to_dict()
        table.add_row(
            c.unit,
            str(row["periods"]),
            f"{row['observed']:g}",
            f"{row['expected']:.1f}",
            c.signal_period or "",
            f"{row['peak']:.2f} ({row['peak_period']})",
            f"{c.chart.threshold:.2f}",
        )
    console.print(table)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        _refuse("--at", f"'{text}' is not a day written like 2026-05-31")
        raise


def _store(at: str | None, as_json: bool, as_user: str | None) -> None:
    on = _day(at)
    with refused():
        summaries: list[ScreenSummary] = screen_rates(actor(as_user), on=on)
    if as_json:
        sys.stdout.write(json.dumps([s.model_dump() for s in summaries], indent=2) + "\n")
        return
    table = Table(
        "Grouped by",
        "Months",
        "Charted",
        "Not charted",
        "Signals",
        "New rate alerts",
        title=f"The store's rates (threshold {settings.VIGIL.cusum_threshold:g}, rate ratio 2)",
    )
    for s in summaries:
        table.add_row(
            s.kind,
            s.months,
            str(s.charted),
            str(s.not_charted),
            str(s.signals),
            ", ".join(str(a) for a in s.alerts) or "none",
        )
    console.print(table)
    err.print(f"{sum(len(s.alerts) for s in summaries)} new rate alerts.")
