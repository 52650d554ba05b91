"""The life of an action: raised -> allocated -> completed -> resulted -> filed."""

from __future__ import annotations

from vigil.domain.enums import ACTION_ORDER, ActionState
from vigil.domain.errors import DomainError


def check_transition(current: ActionState, target: ActionState, *, owner: str | None) -> None:
    """DomainError unless ``target`` is the next step after ``current``."""
    position = ACTION_ORDER.index(current)
    if position + 1 >= len(ACTION_ORDER) or ACTION_ORDER[position + 1] is not target:
        allowed = ACTION_ORDER[position + 1].value if position + 1 < len(ACTION_ORDER) else None
        reason = (
            f"an action that is {current.value} can only become {allowed}"
            if allowed
            else "a filed action cannot change"
        )
        raise DomainError("state", reason)
    if target is ActionState.ALLOCATED and not owner:
        raise DomainError("owner", "an action is allocated to a named owner")
