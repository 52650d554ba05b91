"""Deaths per period per unit (a doctor, a care home, a ward, a command unit) against their
expected counts: one Poisson CUSUM chart per unit (``cusum.poisson_chart``).

The input is a table with a ``unit`` and a ``period`` column and two numeric columns named by
the caller, the deaths observed and those expected. A unit's periods are taken in order (as
numbers when every period is a number, else as text, so 2019-01 before 2019-02); a unit may
not have the same period twice.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.domain.errors import DomainError
from vigil.oversight.cusum import Chart, check_ratio, check_threshold, poisson_chart, threshold_for

UNIT, PERIOD = "unit", "period"


@dataclass(frozen=True)
class Period:
    period: str
    observed: float
    expected: float


@dataclass(frozen=True)
class UnitChart:
    """One unit's chart, and when it first signalled."""

    unit: str
    periods: tuple[Period, ...]
    chart: Chart
    rate_ratio: float

    @property
    def signal_period(self) -> str | None:
        first = self.chart.first_signal
        return None if first is None else self.periods[first].period

    def to_dict(self) -> dict[str, Any]:
        peak_at = self.chart.peak_at
        return {
            "unit": self.unit,
            "periods": len(self.periods),
            "observed": sum(p.observed for p in self.periods),
            "expected": round(sum(p.expected for p in self.periods), 6),
            "rate_ratio": self.rate_ratio,
            "threshold": self.chart.threshold,
            "signal_period": self.signal_period,
            "peak": round(self.chart.peak, 6),
            "peak_period": None if peak_at is None else self.periods[peak_at].period,
            "values": [round(x, 6) for x in self.chart.values],
        }


def read(path: Path, observed: str, expected: str) -> Iterator[dict[str, str]]:
    """The rows of a CSV of periods; refused naming the columns it lacks."""
    with path.open(encoding="utf-8-sig", newline="") as text:
        reader = csv.DictReader(text)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DomainError("file", f"cannot be read as CSV ({exc})") from None
        missing = [c for c in (UNIT, PERIOD, observed, expected) if c not in header]
        if missing:
            raise DomainError("file", "missing columns " + ", ".join(dict.fromkeys(missing)))
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DomainError(
                "file", f"cannot be read past line {reader.line_num} ({exc})"
            ) from None


def units(
    rows: Iterable[Mapping[str, str]], observed: str, expected: str
) -> dict[str, tuple[Period, ...]]:
    """Each unit's periods in order; a value that is not a count is refused naming its line."""
    found: dict[str, dict[str, Period]] = {}
    for line, row in enumerate(rows, start=2):
        unit, period = row[UNIT].strip(), row[PERIOD].strip()
        if not unit or not period:
            raise DomainError(f"line {line}", "a row needs a unit and a period")
        entry = Period(period, _number(row, observed, line), _number(row, expected, line))
        if period in found.setdefault(unit, {}):
            raise DomainError(f"line {line}", f"unit {unit} has period {period} twice")
        found[unit][period] = entry
    return {unit: tuple(sorted(ps.values(), key=_order(ps))) for unit, ps in found.items()}


def _order(periods: Mapping[str, Period]) -> Any:
    numeric = all(_is_number(p) for p in periods)
    return (lambda p: float(p.period)) if numeric else (lambda p: p.period)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(row: Mapping[str, str], column: str, line: int) -> float:
    text = row[column].strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0 or not math.isfinite(value):
        raise DomainError(
            f"line {line}", f"{column} '{text}' is not a number of deaths (0 or more)"
        )
    return value


def charts(
    per_unit: Mapping[str, tuple[Period, ...]],
    rate_ratio: float,
    threshold: float | None = None,
    false_alarm_interval: float | None = None,
) -> list[UnitChart]:
    """One chart per unit, the units that signalled first, then by peak, highest first. The
    threshold is given, or chosen per unit by simulation so that a unit at its expected rate
    raises a false alarm once in ``false_alarm_interval`` periods on average."""
    if (threshold is None) == (false_alarm_interval is None):
        raise DomainError("threshold", "give a threshold or a false-alarm interval, not both")
    check_ratio(rate_ratio, "rate_ratio")
    if threshold is not None:
        check_threshold(threshold)
    elif not (false_alarm_interval or 0) >= 1:
        raise DomainError(
            "false_alarm_interval", f"{false_alarm_interval} is not a number of periods"
        )
    result = []
    chosen: dict[tuple[float, ...], float] = {}
    for unit, periods in per_unit.items():
        expected = tuple(p.expected for p in periods)
        if threshold is not None:
            h = threshold
        elif expected in chosen:
            h = chosen[expected]
        else:  # units with the same expected counts share one simulation
            h = chosen[expected] = threshold_for(expected, rate_ratio, false_alarm_interval or 1.0)
        chart = poisson_chart([p.observed for p in periods], expected, rate_ratio, h)
        result.append(UnitChart(unit, periods, chart, rate_ratio))
    return sorted(
        result,
        key=lambda c: (c.chart.first_signal is None, -c.chart.peak, c.unit),
    )
