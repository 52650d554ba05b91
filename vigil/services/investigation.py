"""Liaison, exhibits, actions and referrals: each a use case in its own transaction."""

from __future__ import annotations

from datetime import datetime

from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import ActionState, ReferralState
from vigil.domain.investigation import (
    Action,
    ActionStep,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.records import models as m
from vigil.services.errors import Invalid, NotFound, checked
from vigil.services.unit import CaseState, changing, finish
from vigil.services.writers.exhibits import append_custody, stored_chain, upsert_exhibit
from vigil.services.writers.liaison import answer_concern as _answer
from vigil.services.writers.liaison import upsert_liaison
from vigil.services.writers.tasks import add_step, upsert_action, upsert_referral

WORK = Permission.INVESTIGATE


def log_liaison(
    actor: Actor, reference: str, entry: LiaisonEntry, *, expected_version: int | None = None
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        entry = checked(entry)
        upsert_liaison(case, entry, actor.username)
        payload = {
            "person": entry.person_ref,
            "at": entry.at.isoformat(),
            "concerns": len(entry.concerns),
        }
        return finish(case, actor, Event.LIAISON_LOGGED, payload, now)


def answer_concern(
    actor: Actor,
    reference: str,
    concern_id: int,
    answer: str,
    *,
    expected_version: int | None = None,
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        concern = m.Concern.objects.filter(pk=concern_id, entry__case=case).first()
        if concern is None:
            raise NotFound("concern", f"case {reference} has no concern {concern_id}")
        _answer(concern, answer, actor.username, now)
        return finish(case, actor, Event.CONCERN_ANSWERED, {"concern": concern_id}, now)


def record_exhibit(
    actor: Actor, reference: str, exhibit: Exhibit, *, expected_version: int | None = None
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        exhibit = checked(exhibit)
        if m.Exhibit.objects.filter(case=case, ref=exhibit.ref).exists():
            raise Invalid("ref", f"exhibit {exhibit.ref} is recorded already")
        upsert_exhibit(case, exhibit, actor.username)
        return finish(case, actor, Event.EXHIBIT_RECORDED, {"exhibit": exhibit.ref}, now)


def record_custody(
    actor: Actor,
    reference: str,
    exhibit_ref: str,
    event: CustodyEvent,
    *,
    expected_version: int | None = None,
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        event = checked(event)
        row = m.Exhibit.objects.filter(case=case, ref=exhibit_ref).first()
        if row is None:
            raise NotFound("exhibit", f"case {reference} has no exhibit {exhibit_ref}")
        digest = append_custody(row, stored_chain(row), event)
        payload = {"exhibit": exhibit_ref, "kind": event.kind.value, "hash": digest}
        return finish(case, actor, Event.CUSTODY_RECORDED, payload, now)


def raise_action(
    actor: Actor, reference: str, action: Action, *, expected_version: int | None = None
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        action = checked(action)
        if m.Action.objects.filter(case=case, ref=action.ref).exists():
            raise Invalid("ref", f"action {action.ref} exists already")
        upsert_action(case, action)
        return finish(case, actor, Event.ACTION_RAISED, {"action": action.ref}, now)


def move_action(
    actor: Actor,
    reference: str,
    action_ref: str,
    state: ActionState,
    *,
    owner: str | None = None,
    note: str | None = None,
    result: str | None = None,
    expected_version: int | None = None,
) -> CaseState:
    """Move an action one step on: allocated (to ``owner``), completed, resulted, filed."""
    with changing(actor, WORK, reference, expected_version) as (case, now):
        if owner and len(owner) > limits.USERNAME:
            raise Invalid("owner", f"an owner's name has at most {limits.USERNAME} characters")
        row = m.Action.objects.filter(case=case, ref=action_ref).first()
        if row is None:
            raise NotFound("action", f"case {reference} has no action {action_ref}")
        add_step(row, ActionStep(state=state, at=now, by=actor.username, note=note), owner)
        row.owner = owner or row.owner
        row.result = result or row.result
        row.save(update_fields=["state", "owner", "result"])
        payload = {"action": action_ref, "state": state.value}
        return finish(case, actor, Event.ACTION_MOVED, payload, now)


def make_referral(
    actor: Actor, reference: str, referral: Referral, *, expected_version: int | None = None
) -> CaseState:
    with changing(actor, WORK, reference, expected_version) as (case, now):
        referral = checked(referral)
        if m.Referral.objects.filter(case=case, ref=referral.ref).exists():
            raise Invalid("ref", f"referral {referral.ref} exists already")
        upsert_referral(case, referral)
        return finish(case, actor, Event.REFERRAL_MADE, {"referral": referral.ref}, now)


def answer_referral(
    actor: Actor,
    reference: str,
    referral_ref: str,
    accept: bool,
    reason: str,
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> CaseState:
    """A named person accepts or declines a referral, with a reason."""
    if not reason.strip():
        raise Invalid("reason", "accepting or declining a referral needs a reason")
    with changing(actor, Permission.ANSWER_REFERRAL, reference, expected_version) as (case, now):
        row = m.Referral.objects.filter(case=case, ref=referral_ref).first()
        if row is None:
            raise NotFound("referral", f"case {reference} has no referral {referral_ref}")
        if row.state != ReferralState.PENDING:
            raise Invalid("referral", f"referral {referral_ref} was {row.state} already")
        row.state = (ReferralState.ACCEPTED if accept else ReferralState.DECLINED).value
        row.answered_by, row.answered_at, row.answer_reason = actor.username, at or now, reason
        row.save(update_fields=["state", "answered_by", "answered_at", "answer_reason"])
        payload = {"referral": referral_ref, "state": row.state, "reason": reason}
        return finish(case, actor, Event.REFERRAL_ANSWERED, payload, now)
