"""An interchange record as the policy and linkage layers see it, built in memory."""

from __future__ import annotations

from datetime import datetime

from vigil.domain import facts as factlog
from vigil.domain.case import CaseView
from vigil.domain.facts import Fact, FactBatch
from vigil.interchange.record import CaseRecord


def record_view(record: CaseRecord, now: datetime) -> tuple[CaseView, list[Fact]]:
    """The case a record describes (decisions included, custody not yet sealed) and its facts.
    Facts in ``report`` are known at ``known_at`` (else ``report.reported_at``, else ``now``)."""
    base = record.known_at or record.report.reported_at or now
    batches = [FactBatch(base, record.recorded_by, factlog.report_facts(record.report))]
    batches += [
        FactBatch(u.known_at, u.recorded_by, factlog.report_facts(u.report)) for u in record.updates
    ]
    facts = factlog.merge(batches, [])
    view = CaseView(
        reference=record.reference,
        report=factlog.report_from_values(factlog.fold(facts)),
        version=1,
        opened_at=now,
        persons=tuple(
            p.model_copy(update={"known_at": p.known_at or base}) for p in record.persons
        ),
        liaison=record.liaison,
        exhibits=record.exhibits,
        actions=record.actions,
        referrals=record.referrals,
        decisions=record.decisions,
        facts=tuple(facts),
    )
    return view, facts
