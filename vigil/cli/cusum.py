"""`vigil cusum`: deaths per period per unit against their expected counts, a Poisson CUSUM per
unit (nothing is read from or written to the store)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from vigil.cli.clearance import refused_options
from vigil.cli.common import console
from vigil.oversight import monitor

OPTIONS = {
    "file": "FILE",
    "rate_ratio": "--ratio",
    "threshold": "--threshold",
    "false_alarm_interval": "--false-alarm",
}


def cusum(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV with columns unit, period and the two below."
    ),
    expected: str = typer.Option(..., "--expected", help="Column of deaths expected."),
    observed: str = typer.Option(..., "--observed", help="Column of deaths observed."),
    ratio: float = typer.Option(2.0, "--ratio", help="Rate ratio to detect (2 = doubled)."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Signal threshold h (default 5, unless --false-alarm)."
    ),
    false_alarm: float | None = typer.Option(
        None,
        "--false-alarm",
        help="Choose h per unit by simulation: one false alarm in this many periods on average.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON, with each chart's values."),
) -> None:
    """Per unit, the first period at which its risk-adjusted CUSUM signalled (deaths above
    the expected rate by the ratio) and the chart's largest value."""
    if threshold is None and false_alarm is None:
        threshold = 5.0
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
