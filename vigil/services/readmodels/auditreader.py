"""The audit reader: who viewed or changed a case, and what a user did, newest first, a page at
a time. Needs ``read_audit``; every use is itself audited (``audit.read``).

Need-to-know holds here as everywhere: a case the reader may not see answers exactly as a case
that does not exist, and a row that names such a case (its target, or any reference in its
payload, such as a link's other case or an export's list) is left out of every answer. A row
is shown as its sentence, never its payload, so free text typed into a case (a judgement's
reason, say) is not repeated here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.audit.models import AuditEntry
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import named_on, require, visible_case
from vigil.services.errors import Invalid

PAGE = 50
MAX_PAGE = 500


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    actor: str
    verb: str
    event: str
    target_type: str
    target_ref: str
    face: str
    sentence: str

    def as_json(self) -> dict[str, object]:
        return dict(self.__dict__, at=self.at.isoformat())


@dataclass(frozen=True)
class AuditPage:
    case: str | None
    user: str | None
    lines: tuple[AuditLine, ...]
    offset: int
    limit: int
    has_next: bool

    @property
    def subject(self) -> str:
        parts = [f"case {self.case}" if self.case else "", f"user {self.user}" if self.user else ""]
        return " by ".join(p for p in parts if p)


def audit_trail(
    actor: Actor,
    *,
    case: str | None = None,
    user: str | None = None,
    face: str,
    limit: int = PAGE,
    offset: int = 0,
) -> AuditPage | None:
    """The rows about ``case`` (who viewed or changed it, its links judged), or done by
    ``user``, or both at once; newest first. None when neither is asked (nothing is read)."""
    require(actor, Permission.READ_AUDIT)
    case, user = (case or "").strip() or None, (user or "").strip() or None
    if not case and not user:
        return None
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid("limit", f"a page holds 1 to {MAX_PAGE} rows")
    if offset < 0:
        raise Invalid("offset", "the offset cannot be negative")
    rows = AuditEntry.objects.all()
    if case:
        visible_case(actor, case)  # a hidden case answers as a missing one
        rows = rows.filter(
            Q(target_type="case", target_ref=case)
            | Q(target_type="link", target_ref__startswith=f"{case}~")
            | Q(target_type="link", target_ref__endswith=f"~{case}")
        )
    if user:
        if len(user) > limits.USERNAME:
            raise Invalid("user", f"a user name has at most {limits.USERNAME} characters")
        rows = rows.filter(actor=user)
    shown = list(_visible_rows(actor, rows.order_by("-seq"), offset + limit + 1))[offset:]
    page = AuditPage(
        case,
        user,
        tuple(_line(row) for row in shown[:limit]),
        offset,
        limit,
        len(shown) > limit,
    )
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.AUDIT_READ,
            "case" if case else "user",
            case or user or "",
            {"face": face, "count": len(page.lines), "user": user, "offset": offset},
        )
    return page


def _hidden_pattern(actor: Actor) -> re.Pattern[str] | None:
    """Matches a reference of a case hidden from ``actor`` (restricted, not named on it)."""
    hidden = (
        m.Case.objects.filter(restricted=True)
        .exclude(named_on(actor.username))
        .values_list("reference", flat=True)
    )
    words = sorted((re.escape(ref) for ref in hidden), key=len, reverse=True)
    if not words:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(words)})(?![\w-])")


def _visible_rows(actor: Actor, rows: QuerySet[AuditEntry], wanted: int) -> Iterator[AuditEntry]:
    """The first ``wanted`` rows that name no case hidden from ``actor``."""
    pattern = _hidden_pattern(actor)
    if pattern is None:
        yield from rows[:wanted]
        return
    found = 0
    for row in rows.iterator(chunk_size=500):
        if pattern.search(row.target_ref) or pattern.search(row.payload):
            continue
        yield row
        found += 1
        if found >= wanted:
            return


def _line(row: AuditEntry) -> AuditLine:
    try:
        face = str(json.loads(row.payload).get("face") or "")
    except (ValueError, AttributeError):
        face = ""
    return AuditLine(
        row.seq,
        row.at,
        row.actor,
        row.verb,
        row.event,
        row.target_type,
        row.target_ref,
        face,
        audit.sentence(row),
    )
