"""Rate alerts: deaths per month per certifier, institution and command unit against their
expected counts (``vigil.oversight.rates``: the method and why it stands in for the list sizes
the Shipman inquiry used), a Poisson CUSUM per group with rate ratio 2 and the threshold
VIGIL_CUSUM_THRESHOLD. This module is their one writer.

- ``screen_rates(actor, on)``: the screen over every death found on or before the day ``on``
  (the months monitored end with its month). Each signal becomes a **rate alert** put before a named
  analyst, unless an alert on the same group already covers it (its run overlaps the new one's
  months): running the screen again, or a month later, raises the same excess once.
- ``judge_rate_alert``: the analyst's answer (concern / no concern, with a reason),
  append-only like an answer on a cluster alert.
- ``list_rate_alerts`` and ``rate_alert``: the alerts as an analyst reads them.

Need-to-know: the screen counts every death (as the cluster scan does: the rate is the store's,
and a count names no one); an alert's figures, its group (a certifier's name is fine for
analysts) and its chart are the same for every reader with ``view_alerts``, but its list of
cases holds only those the reader may see: a restricted case they are not named on is neither
named nor counted in that list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import RecordKind
from vigil.oversight import rates
from vigil.oversight.rates import Kind, RateVerdict
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound
from vigil.services.linkage.assignment import analyst_for_alert
from vigil.services.readmodels.shapes import ReadModel

STATUSES = {"awaiting": "Awaiting an answer", "answered": "Answered", "all": "All"}


# --- the screen ----------------------------------------------------------------------------


def _deaths(at: datetime) -> dict[Kind, list[rates.Death]]:
    """Every death found (else reported) before ``at``, in each kind's groups."""
    found: dict[Kind, list[rates.Death]] = {kind: [] for kind in Kind}
    names = dict(m.Unit.objects.values_list("code", "name"))
    rows = (
        m.Case.objects.filter(kind=RecordKind.DEATH.value)
        .filter(Q(found_at__lt=at) | Q(found_at__isnull=True, reported_at__lt=at))
        .order_by("reported_at", "pk")
        .values_list("reference", "found_at", "reported_at", "unit_id", "state")
    )
    for reference, found_at, reported_at, unit, state in rows:
        when = found_at or reported_at
        if when is None:
            continue
        month = rates.month_of(when.date())
        cause = (state or {}).get("cause") or {}
        for kind, written in (
            (Kind.CERTIFIER, cause.get("certified_by")),
            (Kind.INSTITUTION, cause.get("institution")),
        ):
            if written and written.strip():
                key = rates.normalised(written)
                found[kind].append(rates.Death(reference, month, key, " ".join(written.split())))
        if unit:
            code = str(unit)
            found[Kind.UNIT].append(rates.Death(reference, month, code, names.get(code, code)))
    return found


class ScreenSummary(ReadModel):
    kind: str
    months: str = Field(description="The months monitored, in words.")
    charted: int = Field(description="Groups charted.")
    not_charted: int = Field(description="Groups with too few deaths in the baseline window.")
    signals: int
    alerts: list[int] = Field(description="The rate alerts raised now (not those raised before).")


def _covered(kind: Kind, group: str, signal: rates.Signal) -> bool:
    """An alert on the group whose run overlaps this one's months: the same excess."""
    return m.RateAlert.objects.filter(
        kind=kind.value,
        group=group,
        first_month__lte=signal.signal_month,
        signal_month__gte=signal.first_month,
    ).exists()


def _series(chart: rates.GroupChart) -> list[dict[str, Any]]:
    return [
        {
            "month": row.month.isoformat(),
            "observed": row.observed,
            "expected": round(row.expected, 4),
            "cusum": round(row.cusum, 4),
        }
        for row in chart.months
    ]


def _raise(
    chart: rates.GroupChart, signal: rates.Signal, rate_ratio: float, now: datetime
) -> m.RateAlert | None:
    if _covered(chart.kind, chart.group, signal):
        return None
    alert = m.RateAlert.objects.create(
        kind=chart.kind.value,
        group=chart.group,
        label=chart.label,
        first_month=signal.first_month,
        signal_month=signal.signal_month,
        observed=signal.observed,
        expected=signal.expected,
        statistic=signal.statistic,
        threshold=chart.threshold,
        rate_ratio=rate_ratio,
        series=_series(chart),
        explanation=chart.explain(signal),
        analyst=analyst_for_alert(),  # every analyst may read it: its list is masked
        raised_at=now,
    )
    cases = m.Case.objects.filter(reference__in=signal.cases)
    m.RateAlertCase.objects.bulk_create(m.RateAlertCase(alert=alert, case=c) for c in cases)
    return alert


def screen_rates(actor: Actor, *, on: date | None = None) -> list[ScreenSummary]:
    """The screen as on the day ``on`` (today by default, in UTC): the deaths found on or
    before it, the months monitored ending with its month. One summary per kind of group; each
    new signal a rate alert; all audited in one transaction."""
    require(actor, Permission.RELINK)
    now = utcnow()
    on = on or now.date()
    at = datetime.combine(on + timedelta(days=1), time(), UTC)
    threshold = settings.VIGIL.cusum_threshold
    deaths = _deaths(at)
    last_month = rates.month_of(on)
    screens = [rates.screen(kind, deaths[kind], last_month, threshold) for kind in Kind]
    summaries = []
    with transaction.atomic():
        for screen in screens:
            raised = [
                alert.pk
                for chart in screen.charts
                for signal in chart.signals
                if (alert := _raise(chart, signal, rates.RATE_RATIO, now)) is not None
            ]
            summaries.append(
                ScreenSummary(
                    kind=screen.kind.value,
                    months=rates.span_words(screen.months[0], screen.months[-1]),
                    charted=len(screen.charts),
                    not_charted=screen.not_charted,
                    signals=screen.signals,
                    alerts=raised,
                )
            )
        audit.record(
            actor.username,
            Event.RATES_SCREENED,
            "cases",
            "*",
            {
                "at": on.isoformat(),
                "deaths": len({d.case for kind in Kind for d in deaths[kind]}),
                "signals": sum(s.signals for s in summaries),
                "alerts": sum(len(s.alerts) for s in summaries),
            },
            at=now,
        )
    return summaries


# --- reading and answering -----------------------------------------------------------------


class RateMonth(ReadModel):
    month: date
    observed: int
    expected: float
    cusum: float


class RateAnswer(ReadModel):
    verdict: str = Field(description="concern or no_concern")
    reason: str
    by: str
    at: datetime


class RateAlertRow(ReadModel):
    """A rate alert as a list shows it."""

    id: int
    kind: str = Field(description="certifier, institution or unit")
    group: str = Field(description="The certifier, institution or unit, as written.")
    first_month: date
    signal_month: date
    observed: int
    expected: float
    explanation: str
    analyst: str = Field(description="The analyst it is put before ('' while nobody is).")
    raised_at: datetime
    answered: bool


class RateAlertPage(RateAlertRow):
    """A rate alert opened: its chart, the cases of its run the reader may see, its answers."""

    threshold: float
    statistic: float
    rate_ratio: float
    months: list[RateMonth]
    cases: list[str] = Field(description="The run's cases that you may see.")
    answers: list[RateAnswer]


def _row(alert: m.RateAlert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "group": alert.label,
        "first_month": alert.first_month,
        "signal_month": alert.signal_month,
        "observed": alert.observed,
        "expected": round(alert.expected, 2),
        "explanation": alert.explanation,
        "analyst": alert.analyst,
        "raised_at": alert.raised_at,
        "answered": alert.answered,
    }


def _alerts(status: str, analyst: str | None) -> QuerySet[m.RateAlert]:
    if status not in STATUSES:
        raise Invalid("status", "choose which alerts to show from the list")
    query = m.RateAlert.objects.all()
    if status != "all":
        query = query.filter(answered=status == "answered")
    return query.filter(analyst=analyst) if analyst else query


def list_rate_alerts(
    actor: Actor, *, face: str, status: str = "awaiting", analyst: str | None = None
) -> list[RateAlertRow]:
    """Rate alerts, newest first, by ``status`` (awaiting, answered, all), optionally one
    analyst's; audited as a consultation."""
    require(actor, Permission.VIEW_ALERTS)
    rows = [RateAlertRow(**_row(a)) for a in _alerts(status, analyst)]
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.RATE_ALERTS_LISTED,
            "rate_alerts",
            analyst or "*",
            {"face": face, "count": len(rows)},
        )
    return rows


def _get(alert_id: int) -> m.RateAlert:
    alert = m.RateAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("alert", f"there is no rate alert {alert_id}")
    return alert


def rate_alert(actor: Actor, alert_id: int, *, face: str) -> RateAlertPage:
    """One rate alert as the reader may see it; audited as a consultation."""
    require(actor, Permission.VIEW_ALERTS)
    alert = _get(alert_id)
    cases = sorted(
        alert.members.filter(case__in=visible_cases(actor)).values_list(
            "case__reference", flat=True
        )
    )
    page = RateAlertPage(
        **_row(alert),
        threshold=alert.threshold,
        statistic=alert.statistic,
        rate_ratio=alert.rate_ratio,
        months=[RateMonth(**row) for row in alert.series],
        cases=cases,
        answers=[
            RateAnswer(verdict=j.verdict, reason=j.reason, by=j.by, at=j.at)
            for j in alert.judgements.all()
        ],
    )
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.RATE_ALERT_VIEWED,
            "rate_alert",
            str(alert.pk),
            {"face": face, "cases": len(cases)},
        )
    return page


def judge_rate_alert(
    actor: Actor, alert_id: int, verdict: RateVerdict, reason: str
) -> m.RateJudgement:
    """An analyst's answer on a rate alert, with a reason. Append-only: the latest answer is
    the one in force."""
    require(actor, Permission.ANSWER_ALERT)
    try:
        verdict = RateVerdict(verdict)
    except ValueError:
        raise Invalid("verdict", "answer concern or no_concern") from None
    if not reason or not reason.strip():
        raise Invalid("reason", "an answer needs a reason")
    if len(reason) > limits.NOTE:
        raise Invalid("reason", f"has {len(reason)} characters; a reason has at most {limits.NOTE}")
    now = utcnow()
    with transaction.atomic():
        alert = _get(alert_id)
        row = m.RateJudgement.objects.create(
            alert=alert, verdict=verdict.value, reason=reason, by=actor.username, at=now
        )
        m.RateAlert.objects.filter(pk=alert.pk).update(answered=True)
        audit.record(
            actor.username,
            Event.RATE_JUDGED,
            "rate_alert",
            str(alert.pk),
            {"verdict": verdict.value, "reason": reason},
            at=now,
        )
    return row
