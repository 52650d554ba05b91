"""A generated record as the policy layer sees it, built in memory with the domain's own
fact log (as the import service does), so that tests can run the real default pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from vigil.domain.case import CaseView, as_of
from vigil.domain.enums import UserRole
from vigil.domain.investigation import CategoryDecision
from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view

ROLES = {"sergeant": UserRole.REVIEWING_OFFICER}  # the demo log-in that overrides the floor


def view_of(record: CaseRecord) -> CaseView:
    """The record's case; every decider the generator names (the demo sergeant, a synthetic
    inspector) is a reviewing officer, so their decisions count as signed off."""
    assert record.known_at is not None
    view = record_view(record, record.known_at)[0]
    deciders = {d.decided_by: UserRole.REVIEWING_OFFICER for d in record.decisions}
    return replace(view, roles=deciders)


def at_decision(view: CaseView, decision: CategoryDecision) -> CaseView:
    """The case as it stood when ``decision`` was made, without it or any later one."""
    earlier = tuple(d for d in view.decisions if d.decided_at < decision.decided_at)
    return replace(as_of(view, decision.decided_at), decisions=earlier)


def role_of(username: str | None) -> UserRole | None:
    return ROLES.get(username or "")


def later_than_everything(record: CaseRecord) -> datetime:
    assert record.known_at is not None
    return record.known_at.replace(year=record.known_at.year + 3)
