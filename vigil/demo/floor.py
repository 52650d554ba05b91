"""Would a closing decision fall below the default pack's floor?

The generator asks the real policy, so that every decision it writes imports as it stands: a
category below the floor carries a reviewing officer's override and a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from vigil.domain.case import CaseView
from vigil.domain.enums import Category
from vigil.domain.facts import report_facts, report_from_values
from vigil.domain.report import DeathReport
from vigil.interchange.record import ReportUpdate
from vigil.policy import default_pack, floor_of


def known_by(report: DeathReport, updates: Iterable[ReportUpdate], at: datetime) -> DeathReport:
    """The report as it stood at ``at``: the updates known by then written over it."""
    values = report_facts(report)
    for update in sorted(updates, key=lambda u: u.known_at):
        if update.known_at <= at:
            values.update(report_facts(update.report))
    return report_from_values(values)


def below(report: DeathReport, category: Category, at: datetime) -> bool:
    floor, _ = floor_of(default_pack(), CaseView(reference="demo", report=report), at)
    return category.rank < floor.rank
