"""The command units as the lists and pages show them: the list of units with the cases the
reader may see in each, the choices of a unit filter, a unit in words, and which units a filter
by one unit takes in (the unit and every unit below it: a force's filter is all its boroughs).

Need-to-know holds: a unit's count is of the cases the reader may see, so a restricted case
they are not named on changes no count.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.errors import Invalid
from vigil.services.readmodels.shapes import ReadModel

ALL_UNITS = "all"
"""The value of a unit filter that asks for every unit (the default is the reader's own)."""


class UnitRow(ReadModel):
    """A unit, the unit above it, and how many cases the reader may see in it and below it."""

    code: str
    name: str
    parent: str
    cases: int
    cases_within: int


def _tree() -> dict[str, list[str]]:
    """The codes of the units directly below each unit."""
    below: dict[str, list[str]] = {}
    for code, parent in m.Unit.objects.order_by("position").values_list("code", "parent"):
        below.setdefault(parent, []).append(code)
    return below


def units_under(code: str) -> list[str]:
    """``code`` and the codes of every unit below it; ``Invalid`` (field ``unit``) when no
    unit has that code."""
    if not m.Unit.objects.filter(code=code).exists():
        raise Invalid("unit", f"there is no command unit '{code}'")
    below, found, todo = _tree(), [], [code]
    while todo:
        current = todo.pop()
        if current not in found:
            found.append(current)
            todo.extend(below.get(current, []))
    return found


def unit_choices() -> list[tuple[str, str]]:
    """Every unit as (code, its name in words), in the file's order, for a filter."""
    return [(code, f"{name} ({code})") for code, name in m.Unit.objects.values_list("code", "name")]


def unit_words(code: str | None) -> str:
    """A unit in words: its name, its code and the units above it ('Eastmarsh (EM), in the
    Metropolitan Police Service (MET)'); '' for none."""
    if not code:
        return ""
    units = {u.code: u for u in m.Unit.objects.all()}
    if code not in units:
        return code
    chain = [units[code]]
    while chain[-1].parent in units and len(chain) <= len(units):
        chain.append(units[chain[-1].parent])
    named = [f"{u.name} ({u.code})" for u in chain]
    return named[0] + (f", in {', in '.join(named[1:])}" if len(named) > 1 else "")


def list_units(actor: Actor, *, face: str) -> list[UnitRow]:
    """Every unit in the file's order, with the cases the actor may see in it (``cases``) and
    in it or any unit below it (``cases_within``); audited as a consultation."""
    require(actor, Permission.SEARCH)
    counted = (
        visible_cases(actor)
        .filter(unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {str(row["unit_id"]): int(row["n"]) for row in counted}
    below = _tree()

    def within(code: str) -> int:
        return counts.get(code, 0) + sum(within(c) for c in below.get(code, []))

    rows = [
        UnitRow(
            code=u.code,
            name=u.name,
            parent=u.parent,
            cases=counts.get(u.code, 0),
            cases_within=within(u.code),
        )
        for u in m.Unit.objects.order_by("position")
    ]
    with transaction.atomic():
        payload = {"face": face, "count": len(rows)}
        audit.record(actor.username, Event.CASES_LISTED, "units", "*", payload)
    return rows
