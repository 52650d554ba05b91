"""Domain values to rows, and rows back to domain values, for the records kept in more than one
place (the per-case use cases and the bulk import both write them)."""

from __future__ import annotations

from vigil.domain.investigation import CategoryDecision, CustodyEvent
from vigil.policy import Evaluation
from vigil.records import models as m


def custody_row(exhibit: m.Exhibit, seq: int, event: CustodyEvent) -> m.CustodyEvent:
    return m.CustodyEvent(
        exhibit=exhibit,
        seq=seq,
        kind=event.kind.value,
        at=event.at,
        from_holder=event.from_holder,
        to_holder=event.to_holder,
        by=event.by,
        examinations=list(event.examinations),
        notes=event.notes or "",
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def custody_event(row: m.CustodyEvent) -> CustodyEvent:
    return CustodyEvent(
        kind=row.kind,
        at=row.at,
        from_holder=row.from_holder,
        to_holder=row.to_holder,
        by=row.by,
        examinations=tuple(row.examinations),
        notes=row.notes or None,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def decision_row(case: m.Case, d: CategoryDecision) -> m.CategoryDecision:
    return m.CategoryDecision(
        case=case,
        category=d.category.value,
        rationale=d.rationale,
        decided_by=d.decided_by,
        decided_at=d.decided_at,
        override_by=d.override_by or "",
        override_reason=d.override_reason or "",
    )


def checklist_rows(case: m.Case, evaluation: Evaluation) -> list[m.ChecklistItem]:
    return [
        m.ChecklistItem(
            case=case,
            rule_id=item.rule_id,
            title=item.title,
            reason=item.reason,
            owner_role=item.owner_role.value,
            subject=item.subject or "",
            deadline=item.deadline,
        )
        for item in evaluation.unmet
    ]
