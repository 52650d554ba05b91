"""Template filters for the officers' pages: ``{% load vigil_words %}``."""

from __future__ import annotations

from django import template

from vigil.policy.wording import escalation_target

register = template.Library()


@register.filter
def words(value: object) -> str:
    """A vocabulary value as words: ``reviewing_officer`` -> ``reviewing officer`` (an enum
    member by its value)."""
    text = getattr(value, "value", value)
    return "" if text is None else str(text).replace("_", " ")


@register.filter
def escalated_as(value: str) -> str:
    """Why an escalation step reached the reader: ``owner_supervisor`` -> ``the owner's
    supervisor``."""
    return escalation_target(value)
