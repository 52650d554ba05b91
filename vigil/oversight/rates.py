"""Deaths per month per certifier, institution or command unit against their expected counts:
the store's own early warning (a Poisson CUSUM per group, ``cusum.poisson_chart``).

**The expected count.** After the Shipman inquiry a doctor's deaths were monitored against the
deaths expected of the practice's patients (the list size, by age and sex). Vigil holds no list
sizes, nor beds in a care home or ward, nor a unit's population; it holds only the deaths. So
each group is set against its **peers** (the other groups of the same kind: every other
certifier, institution or unit with deaths in the store), and its baseline activity stands in
for its list:

    E(g, t) = N(others, t) x D(g, baseline) / D(others, baseline)

the deaths of the group's peers in month t, times the group's deaths per peer death over a
baseline window (``BASELINE_MONTHS`` before the months monitored). A doctor who certified one
death for every twenty of their peers' keeps that ratio when nothing changes, whatever the
season or the store's growth (which move the peers' deaths too); one whose deaths double while
their peers' stay as they were has twice the expected. The peers' deaths exclude the group's
own, so a large group (one of two units) does not raise its own expected count.

What this does not see, and why it is said: a group whose rate was already high in its
baseline (it is compared with its own past relative to its peers, not with a list), and a
group too new or too small to have a baseline: a group with fewer than ``MIN_BASELINE_DEATHS``
deaths in the baseline window is not charted (counted as such). A group with no peers at all
(the only unit) is set against its own baseline mean per month. Each figure is a reason to
look, not proof of anything.

**The chart.** The Poisson CUSUM with rate ratio ``RATE_RATIO`` (2: doubled) from zero at the
first month monitored, X_t = max(0, X_{t-1} + O_t log 2 - E_t). It **signals** in the first
month X_t reaches the threshold h; a run is the months since the chart last stood at zero, and
its deaths are those the signal is about. After a signal the chart must return to zero before
it can signal again, so one excess is one signal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from vigil.domain.errors import DomainError
from vigil.oversight.cusum import check_threshold, poisson_chart

RATE_RATIO = 2.0
BASELINE_MONTHS = 12
MONITOR_MONTHS = 12
MIN_BASELINE_DEATHS = 5


class Kind(StrEnum):
    """What deaths are grouped by: who certified them, where (the institution), the unit."""

    CERTIFIER = "certifier"
    INSTITUTION = "institution"
    UNIT = "unit"


class RateVerdict(StrEnum):
    """An analyst's answer on a rate alert."""

    CONCERN = "concern"  # the excess needs looking into
    NO_CONCERN = "no_concern"  # explained (a new ward, a hospice opened, ...)


def normalised(text: str) -> str:
    """A group's key: its words in lower case, single-spaced ('Dr  A. Smith ' -> 'dr a.
    smith'), so the same certifier written twice is one group."""
    return " ".join(text.split()).casefold()


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_words(month: date) -> str:
    return f"{month:%B %Y}"


def span_words(first: date, last: date) -> str:
    """'May 2026', 'March-May 2026', 'November 2025-January 2026'."""
    if first == last:
        return month_words(first)
    if first.year == last.year:
        return f"{first:%B}-{month_words(last)}"
    return f"{month_words(first)}-{month_words(last)}"


@dataclass(frozen=True)
class Death:
    """One death in a group: its case's reference, the month it happened, the group's key and
    the group as written on the case."""

    case: str
    month: date
    group: str
    label: str


@dataclass(frozen=True)
class Month:
    month: date
    observed: int
    expected: float
    cusum: float


@dataclass(frozen=True)
class Signal:
    """One crossing: the run's first month, the month it crossed, its deaths and those
    expected over the run, the chart's value when it crossed, and the run's cases."""

    first_month: date
    signal_month: date
    observed: int
    expected: float
    statistic: float
    cases: tuple[str, ...]


@dataclass(frozen=True)
class GroupChart:
    kind: Kind
    group: str
    label: str
    months: tuple[Month, ...]
    baseline_deaths: int
    against: str  # "peers", or "own baseline" for a group with no peers
    threshold: float
    signals: tuple[Signal, ...]

    def explain(self, signal: Signal) -> str:
        """The signal in an inspector's words."""
        span = span_words(signal.first_month, signal.signal_month)
        n = signal.observed
        deaths = f"{n} death{'s' if n != 1 else ''}"
        what = {
            Kind.CERTIFIER: f"{self.label} certified {deaths} in {span}",
            Kind.INSTITUTION: f"{deaths} at {self.label} in {span}",
            Kind.UNIT: f"{deaths} in {self.label} in {span}",
        }[self.kind]
        basis = "its peers" if self.against == "peers" else "its own past"
        return (
            f"{what} where {signal.expected:.1f} were expected (from {basis}); the CUSUM "
            f"passed its threshold {self.threshold:g} in {month_words(signal.signal_month)} "
            f"(reaching {signal.statistic:.1f})"
        )


@dataclass(frozen=True)
class Screen:
    kind: Kind
    months: tuple[date, ...]  # the months monitored
    charts: tuple[GroupChart, ...]  # signalled first, then by peak
    not_charted: int  # groups with too few deaths in the baseline window

    @property
    def signals(self) -> int:
        return sum(len(c.signals) for c in self.charts)


def screen(
    kind: Kind,
    deaths: Iterable[Death],
    last_month: date,
    threshold: float,
    *,
    rate_ratio: float = RATE_RATIO,
    baseline_months: int = BASELINE_MONTHS,
    monitor_months: int = MONITOR_MONTHS,
    min_baseline: int = MIN_BASELINE_DEATHS,
) -> Screen:
    """Chart every group of ``kind`` over the ``monitor_months`` months ending with
    ``last_month``, against the expected counts of the module's docstring."""
    check_threshold(threshold)
    if baseline_months < 1 or monitor_months < 1:
        raise DomainError("months", "monitor and compare at least one month each")
    last = month_of(last_month)
    first = add_months(last, 1 - monitor_months)
    base_first = add_months(first, -baseline_months)
    months = tuple(add_months(first, i) for i in range(monitor_months))
    count: Counter[tuple[str, date]] = Counter()
    baseline: Counter[str] = Counter()
    cases: dict[tuple[str, date], list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for death in deaths:
        labels.setdefault(death.group, death.label)
        if base_first <= death.month < first:
            baseline[death.group] += 1
        elif first <= death.month <= last:
            count[death.group, death.month] += 1
            cases[death.group, death.month].append(death.case)
    per_month = Counter[date]()
    for (_, month), n in count.items():
        per_month[month] += n
    total_baseline = sum(baseline.values())
    charts, not_charted = [], 0
    for group in sorted(labels):
        if baseline[group] < min_baseline:
            not_charted += 1 if any(count[group, m] for m in months) else 0
            continue
        others = total_baseline - baseline[group]
        if others > 0:
            ratio = baseline[group] / others
            expected = [ratio * (per_month[m] - count[group, m]) for m in months]
            against = "peers"
        else:
            expected = [baseline[group] / baseline_months] * len(months)
            against = "own baseline"
        observed = [count[group, m] for m in months]
        chart = poisson_chart(observed, expected, rate_ratio, threshold)
        rows = tuple(
            Month(m, o, e, x)
            for m, o, e, x in zip(months, observed, expected, chart.values, strict=True)
        )
        runs = _signals(rows, threshold, {m: cases[group, m] for m in months})
        charts.append(
            GroupChart(kind, group, labels[group], rows, baseline[group], against, threshold, runs)
        )
    charts.sort(key=lambda c: (not c.signals, -max((m.cusum for m in c.months), default=0)))
    return Screen(kind, months, tuple(charts), not_charted)


def _signals(
    rows: Sequence[Month], threshold: float, cases_in: Mapping[date, list[str]]
) -> tuple[Signal, ...]:
    """Each crossing of the threshold after the chart last stood at zero."""
    found: list[Signal] = []
    start, armed = 0, True
    for i, row in enumerate(rows):
        if row.cusum <= 0:
            start, armed = i + 1, True
            continue
        if armed and row.cusum >= threshold:
            run = rows[start : i + 1]
            found.append(
                Signal(
                    first_month=run[0].month,
                    signal_month=row.month,
                    observed=sum(r.observed for r in run),
                    expected=sum(r.expected for r in run),
                    statistic=row.cusum,
                    cases=tuple(sorted(c for r in run for c in cases_in[r.month])),
                )
            )
            armed = False
    return tuple(found)
