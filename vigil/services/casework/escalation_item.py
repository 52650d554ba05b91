"""One overdue item as escalation sees it, whatever it is on: an unmet checklist item or the
advisory panel's advice on a case (``escalation``), or a report from the public portal left
unanswered (``vigil.services.portal.escalation``). A module of its own so that each source
builds its items without importing the engine that sends them.

An item carries what the chain needs and nothing of its content: the key each step is sent
once for, a title in fixed words, the deadline, the owner (the first step), who may know of
it (need-to-know), the command unit whose duty inspector is the last step, and what the
notification, the audit trail and the e-mail name: a case, or a report from the portal by its
id (a report is on no case, and has no unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from vigil.audit.events import Event
from vigil.domain.actor import Actor


@dataclass(frozen=True)
class Due:
    """An overdue item. ``may_know(actor)``: whether a step may reach that user (a case they
    may see; a report the queue shows them). ``unit``: the command unit whose duty inspector
    is the last step (None: the chain ends before it). ``case_reference`` names the case it is
    on (a series: its first case); ``submission``, instead, the portal's report."""

    key: str
    title: str
    deadline: datetime
    owner: str
    may_know: Callable[[Actor], bool]
    unit: str | None = None
    case_reference: str = ""
    submission: int | None = None

    @property
    def target(self) -> tuple[str, str]:
        """What the audit trail names: ('case', reference) or ('portal', id)."""
        if self.submission is not None:
            return "portal", str(self.submission)
        return "case", self.case_reference

    @property
    def events(self) -> tuple[Event, Event]:
        """The events of a step sent and of a step nobody entitled could receive."""
        if self.submission is not None:
            return Event.PORTAL_ESCALATION_SENT, Event.PORTAL_ESCALATION_NOT_SENT
        return Event.ESCALATION_SENT, Event.ESCALATION_NOT_SENT
