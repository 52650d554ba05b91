"""Liaison, exhibits, actions and referrals: each a use case in its own transaction.

An action reaches its owner on their dashboard, so an open action (raised or allocated) may
only belong to an active Vigil user who can see the case (named on it, if it is restricted):
``check_owner`` refuses anyone else, naming the field ``owner``, whether the action is raised,
moved on or imported. A closed action's owner is history and is kept as written.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import ACTION_ORDER, ActionState, ReferralState
from vigil.domain.investigation import (
    RESTRICTED_LINK,
    Action,
    ActionStep,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.records import models as m
from vigil.services.access.rules import may
from vigil.services.casework.unit import CaseState, changing, finish
from vigil.services.casework.writers.exhibits import append_custody, stored_chain, upsert_exhibit
from vigil.services.casework.writers.liaison import answer_concern as _answer
from vigil.services.casework.writers.liaison import upsert_liaison
from vigil.services.casework.writers.tasks import add_step, upsert_action, upsert_referral
from vigil.services.errors import Invalid, NotFound, checked

WORK = Permission.INVESTIGATE
OPEN = frozenset({ActionState.RAISED, ActionState.ALLOCATED})
"""The states in which an action waits for its owner (their dashboard's open actions)."""
ANSWERED = frozenset({ActionState.RESULTED, ActionState.FILED})
"""The states of a notice of a restricted link that has been answered (``answer_notice``)."""


def active_users() -> frozenset[str]:
    """Every active Vigil user's name (for checking many owners at once)."""
    users = m.Profile.objects.filter(user__is_active=True).values_list("user__username", flat=True)
    return frozenset(users)


def named_on_restricted(case: m.Case) -> frozenset[str] | None:
    """The users named on the case if it is restricted (only they can see it); None if open."""
    if not case.restricted:
        return None
    return frozenset(m.CaseAccess.objects.filter(case=case).values_list("username", flat=True))


def check_owner(
    owner: str,
    *,
    named: Collection[str] | None,
    active: Collection[str] | None = None,
    field: str = "owner",
) -> None:
    """Refuse (Invalid naming ``field``) an owner the action would never reach: someone who is
    not an active Vigil user, or, on a restricted case (``named``: the users named on it), who
    is not named on it. ``active``: the active users, if the caller has them already."""
    if active is not None:
        known = owner in active
    else:
        users = m.Profile.objects.filter(user__username=owner, user__is_active=True)
        known = users.exists()
    if not known:
        raise Invalid(
            field,
            f"there is no active Vigil user '{owner}', so the action would reach nobody; "
            "give it to someone who can sign in to Vigil",
        )
    if named is not None and owner not in named:
        raise Invalid(
            field,
            f"'{owner}' is not named on this restricted case, so they could not see the action; "
            "name them on the case first",
        )


def check_action_owner(
    action: Action,
    *,
    named: Collection[str] | None,
    active: Collection[str] | None = None,
    prefix: str = "",
) -> None:
    """``check_owner`` for an action that is still open; a closed action's owner is history."""
    if action.owner and action.state in OPEN:
        check_owner(action.owner, named=named, active=active, field=f"{prefix}owner")


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
        if action.kind == RESTRICTED_LINK:
            raise Invalid("kind", "only the linkage engine raises a notice of a restricted link")
        if m.Action.objects.filter(case=case, ref=action.ref).exists():
            raise Invalid("ref", f"action {action.ref} exists already")
        check_action_owner(action, named=named_on_restricted(case))
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
    """Move an action one step on: allocated (to ``owner``, who must be able to see it),
    completed, resulted, filed."""
    with changing(actor, WORK, reference, expected_version) as (case, now):
        if owner and len(owner) > limits.USERNAME:
            raise Invalid("owner", f"an owner's name has at most {limits.USERNAME} characters")
        row = m.Action.objects.filter(case=case, ref=action_ref).first()
        if row is None:
            raise NotFound("action", f"case {reference} has no action {action_ref}")
        allocated_to = owner or (row.owner if state is ActionState.ALLOCATED else None)
        if allocated_to:
            check_owner(allocated_to, named=named_on_restricted(case))
        add_step(row, ActionStep(state=state, at=now, by=actor.username, note=note), owner)
        row.owner = owner or row.owner
        row.result = result or row.result
        row.save(update_fields=["state", "owner", "result"])
        payload = {"action": action_ref, "state": state.value}
        return finish(case, actor, Event.ACTION_MOVED, payload, now)


def open_notices(actor: Actor, view: CaseView) -> frozenset[str]:
    """The refs of the case's notices of a restricted link (``linkage.notices``) that
    ``actor`` may answer: open ones, if their role may answer alerts."""
    if not may(actor, Permission.ANSWER_ALERT):
        return frozenset()
    return frozenset(
        a.ref for a in view.actions if a.kind == RESTRICTED_LINK and a.state not in ANSWERED
    )


def answer_notice(
    actor: Actor,
    reference: str,
    notice_ref: str,
    result: str,
    *,
    expected_version: int | None = None,
) -> CaseState:
    """Answer a notice of a restricted link with what the record's holders said (or what was
    done): the action is completed and resulted with ``result``, by whoever may answer alerts
    and see the death (the analyst, who writes no other casework; an investigator may move it
    on as any action)."""
    result = result.strip()
    if not result:
        raise Invalid("result", "say what the team holding the record said, or what you did")
    if len(result) > limits.NOTE:
        raise Invalid("result", f"has {len(result)} characters; a result has at most {limits.NOTE}")
    with changing(actor, Permission.ANSWER_ALERT, reference, expected_version) as (case, now):
        row = m.Action.objects.filter(case=case, ref=notice_ref, kind=RESTRICTED_LINK).first()
        if row is None:
            raise NotFound("notice", f"case {reference} has no notice {notice_ref}")
        state = ActionState(row.state)
        if state in ANSWERED:
            raise Invalid("result", f"notice {notice_ref} was answered already")
        last = ACTION_ORDER.index(ActionState.RESULTED)
        for step in ACTION_ORDER[ACTION_ORDER.index(state) + 1 : last + 1]:
            add_step(row, ActionStep(state=step, at=now, by=actor.username), row.owner)
        row.result = result
        row.save(update_fields=["state", "result"])
        payload = {"action": notice_ref, "state": row.state}
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
