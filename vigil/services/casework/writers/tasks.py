"""Actions (tasks) with their lifecycle, and referrals that a named person must answer."""

from __future__ import annotations

from vigil.domain.enums import ActionState
from vigil.domain.errors import DomainError
from vigil.domain.investigation import Action, ActionStep, Referral
from vigil.domain.lifecycle import check_transition
from vigil.records import models as m
from vigil.services.casework.writers.persons import on_case
from vigil.services.errors import Invalid


def add_step(row: m.Action, step: ActionStep, owner: str | None) -> None:
    current = row.state if row.pk and row.state else None
    try:
        if current is None:
            if step.state.value != "raised":
                raise DomainError("history.0.state", "an action starts as raised")
        else:
            check_transition(ActionState(current), step.state, owner=owner or row.owner or None)
    except DomainError as exc:
        raise Invalid.from_domain(exc) from None
    m.ActionStep.objects.create(
        action=row, state=step.state.value, at=step.at, by=step.by, note=step.note or ""
    )
    row.state = step.state.value


def upsert_action(case: m.Case, action: Action) -> list[str]:
    subject = None
    if action.subject:
        subject = on_case(case, action.subject)
        if subject is None:
            raise Invalid("subject", f"'{action.subject}' is not a person on this case")
    row = m.Action.objects.filter(case=case, ref=action.ref).first()
    changes: list[str] = []
    steps: list[tuple[str, object]] = []
    if row is None:
        row = m.Action.objects.create(
            case=case,
            ref=action.ref,
            kind=action.kind,
            title=action.title,
            subject=subject,
            owner=action.owner or "",
            deadline=action.deadline,
            result=action.result or "",
            state="",
        )
        changes.append("action")
    else:
        steps = list(row.steps.values_list("state", "at"))
    for index, step in enumerate(action.history):
        if index < len(steps):
            if steps[index] != (step.state.value, step.at):
                raise Invalid(f"history.{index}", "differs from the recorded history")
            continue
        add_step(row, step, action.owner)
        changes.append("step")
    fields = {
        "owner": action.owner or row.owner,
        "deadline": action.deadline or row.deadline,
        "result": action.result or row.result,
        "state": row.state,
    }
    m.Action.objects.filter(pk=row.pk).update(**fields)
    return changes


def upsert_referral(case: m.Case, referral: Referral) -> list[str]:
    row, created = m.Referral.objects.get_or_create(
        case=case,
        ref=referral.ref,
        defaults={
            "to_team": referral.to_team,
            "made_at": referral.made_at,
            "made_by": referral.made_by,
            "reason": referral.reason,
        },
    )
    changes = ["referral"] if created else []
    if referral.state.value != "pending" and row.state == "pending":
        m.Referral.objects.filter(pk=row.pk).update(
            state=referral.state.value,
            answered_by=referral.answered_by,
            answered_at=referral.answered_at,
            answer_reason=referral.answer_reason,
        )
        changes.append("answer")
    return changes
