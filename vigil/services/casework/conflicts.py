"""When someone else saved a case first: what changed on its report since a form read it, and
applying what the form's author changed on top of the case as it now stands.

A form is read at a **mark**: the sequence number of the last fact of the case when the form
was read (``fact_mark``). Facts are append-only and a case's facts are written under its row
lock, so the facts up to the mark are the report the author saw, whatever was recorded since.
``changes_since`` lists, field by field, what others recorded after the mark (their value, who
recorded it and when it became known), masked for the reader; ``revise_since`` records only the
fields the author changed from the report as read, so a field they did not touch keeps the
value someone else gave it meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Max

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.facts import DEFAULTS, Fact, fold, report_facts, report_from_values
from vigil.domain.masking import mask_view
from vigil.domain.report import DeathReport
from vigil.records import models as m
from vigil.records.queries import load_view
from vigil.services.access.masking import mask_of
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.clock import utcnow
from vigil.services.readmodels.reporting import Revision, changed_values, revise_report


def fact_mark(case: m.Case) -> int:
    """The sequence number of the case's last fact (0 if it has none)."""
    return int(m.Fact.objects.filter(case=case).aggregate(last=Max("pk"))["last"] or 0)


@dataclass(frozen=True)
class Change:
    """A field someone else changed after the form was read: its value then and now (as the
    reader may see them), who recorded the latest value and when it became known."""

    path: str
    before: Any
    value: Any
    recorded_by: str
    known_at: datetime


@dataclass(frozen=True)
class Changes:
    """What changed on a case's report between the form's mark and now; ``version`` and
    ``mark`` are the case's current ones (a form re-read at them)."""

    reference: str
    version: int
    mark: int
    changes: tuple[Change, ...]

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(c.path for c in self.changes)


def _shown_values(view: CaseView, values: dict[str, Any], actor: Actor, case: m.Case) -> Any:
    """``values`` (a fold of facts) as a report the reader may see, by path."""
    shown, _ = mask_view(replace(view, report=report_from_values(values)), mask_of(actor, case))
    return report_facts(shown.report, only_set=False)


def _read(actor: Actor, case: m.Case, mark: int) -> tuple[CaseView, list[Fact], dict[str, Any]]:
    view = load_view(case)
    facts = list(view.facts)
    before = _shown_values(view, fold(f for f in facts if f.seq <= mark), actor, case)
    return view, facts, before


def changes_since(actor: Actor, reference: str, mark: int, *, face: str) -> Changes:
    """What others recorded on the case's report after ``mark``, field by field in the order it
    was recorded, masked for ``actor``. Audited as a consultation of the case."""
    require(actor, Permission.RECORD_CASE)
    with use_case(actor):
        case = visible_case(actor, reference)
        view, facts, before = _read(actor, case, mark)
        now = _shown_values(view, fold(facts), actor, case)
        latest: dict[str, Fact] = {}
        for fact in sorted((f for f in facts if f.seq > mark), key=lambda f: f.seq):
            latest.pop(fact.path, None)
            latest[fact.path] = fact
        changes = tuple(
            Change(
                path, before.get(path, DEFAULTS.get(path)), now.get(path), f.recorded_by, f.known_at
            )
            for path, f in latest.items()
            if before.get(path, DEFAULTS.get(path)) != now.get(path)
        )
        payload = {"face": face, "conflict": True}
        audit.record(actor.username, Event.CASE_VIEWED, "case", reference, payload, at=utcnow())
        return Changes(reference, case.version, fact_mark(case), changes)


def report_as_read(actor: Actor, reference: str, mark: int) -> DeathReport:
    """The report as ``actor`` was shown it at ``mark`` (masked for them)."""
    require(actor, Permission.RECORD_CASE)
    with use_case(actor):
        case = visible_case(actor, reference)
        _, _, before = _read(actor, case, mark)
    return report_from_values(before)


def revise_since(
    actor: Actor,
    reference: str,
    report: DeathReport,
    paths: Iterable[str],
    *,
    mark: int,
    expected_version: int,
) -> Revision:
    """Record the fields of ``paths`` that the actor changed from the report as they read it
    at ``mark``, against the case at ``expected_version`` (``revise_report``: a stale version
    is refused and nothing is written). Fields they left as they read them are not recorded,
    so a value someone else recorded after the mark stands."""
    read = report_as_read(actor, reference, mark)
    mine = tuple(changed_values(read, report, paths))
    return revise_report(actor, reference, report, mine, expected_version=expected_version)
