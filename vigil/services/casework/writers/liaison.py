"""Contact with next of kin, partners and friends, and the answers to their concerns."""

from __future__ import annotations

from vigil.domain.investigation import LiaisonEntry
from vigil.records import models as m
from vigil.services.casework.writers.persons import on_case
from vigil.services.errors import Invalid


def upsert_liaison(case: m.Case, entry: LiaisonEntry, recorded_by: str) -> list[str]:
    person = on_case(case, entry.person_ref)
    if person is None:
        raise Invalid("person_ref", f"'{entry.person_ref}' is not a person on this case")
    row, created = m.LiaisonEntry.objects.get_or_create(
        case=case,
        person=person,
        at=entry.at,
        defaults={
            "method": entry.method.value,
            "officer": entry.officer,
            "summary": entry.summary,
            "recorded_by": recorded_by,
        },
    )
    changes = ["entry"] if created else []
    stored = {c.text: c for c in row.concerns.all()}
    for concern in entry.concerns:
        existing = stored.get(concern.text)
        if existing is None:
            m.Concern.objects.create(
                entry=row,
                text=concern.text,
                answer=concern.answer or "",
                answered_by=concern.answered_by or "",
                answered_at=concern.answered_at,
            )
            changes.append("concern")
        elif concern.answer and not existing.answer:
            answer_concern(
                existing, concern.answer, concern.answered_by or recorded_by, concern.answered_at
            )
            changes.append("answer")
    return changes


def answer_concern(concern: m.Concern, answer: str, by: str, at: object) -> None:
    if concern.answer:
        raise Invalid("answer", "this concern has been answered already")
    if not answer.strip():
        raise Invalid("answer", "an answer needs words")
    m.Concern.objects.filter(pk=concern.pk).update(answer=answer, answered_by=by, answered_at=at)
