"""Small hand-counted stores for the screens on the store's own deaths (clearance clusters and
rate alerts): synthetic deaths only."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from tests.conftest import make_user, suspicious_report
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m

SQUARE_EAST = [[0.0, 51.45], [0.2, 51.45], [0.2, 51.6], [0.0, 51.6], [0.0, 51.45]]
SQUARE_WEST = [[-0.2, 51.45], [0.0, 51.45], [0.0, 51.6], [-0.2, 51.6], [-0.2, 51.45]]
HIDDEN = "CL-HIDDEN"


def unit(code: str, name: str, position: int, square: list[list[float]]) -> None:
    outline = json.dumps({"type": "Polygon", "coordinates": [square]})
    m.Unit.objects.create(
        code=code, name=name, outline=outline, position=position, loaded_at=timezone.now()
    )


# (reference, unit, sex, mechanism or None, outcome or None)
DEATHS = [
    ("CL-1", "EA", "male", "drug_toxicity", "open"),
    ("CL-2", "EA", "male", "drug_toxicity", "open"),
    ("CL-3", "EA", "male", "drug_toxicity", "closed_no_charge"),
    ("CL-4", "EA", "male", "drug_toxicity", "charged"),
    ("CL-5", "EA", "male", "asphyxia", "charged"),
    ("CL-6", "EA", "male", "asphyxia", "charged"),
    ("CL-7", "EA", "female", "drug_toxicity", "open"),
    ("CL-8", "EA", "female", "drug_toxicity", "open"),
    ("CL-9", "WA", "male", "drug_toxicity", "open"),
    ("CL-10", "WA", "male", "drug_toxicity", "no_crime"),
    ("CL-11", "WA", "male", "drug_toxicity", None),
    ("CL-12", "WA", "male", None, "open"),
    ("CL-13", "WA", "male", None, "open"),
    (HIDDEN, "WA", "male", "drug_toxicity", "open"),  # restricted to sergeant2
]


def clearance_store(officer) -> None:
    """East Area: men, drug toxicity, 4 (1 charged); men, asphyxia, 2 (both charged); women,
    drug toxicity, 2 (none charged). West Area: men, drug toxicity, 1 open, 1 no crime, 1 with
    no outcome, and CL-HIDDEN open (restricted to sergeant2); men, no mechanism recorded, 2
    open. Every death in 2015."""
    unit("EA", "East Area", 0, SQUARE_EAST)
    unit("WA", "West Area", 1, SQUARE_WEST)
    for reference, code, sex, mechanism, outcome in DEATHS:
        overrides = {"location__unit": code, "deceased__sex": sex}
        if mechanism:
            overrides["cause__mechanism"] = mechanism
        if outcome:
            overrides["investigation__outcome"] = outcome
        services.open_case(officer, reference, suspicious_report(**overrides))
    keeper = make_user("sergeant2", UserRole.REVIEWING_OFFICER)
    services.restrict_case(keeper, HIDDEN, [])


DOCTORS = [
    ("Dr A Able (GMC 1000001)", "dr a able  (gmc 1000001)", "EA"),
    ("Dr B Baker (GMC 1000002)", "DR B BAKER (GMC 1000002)", "EA"),
    ("Dr C Carter (GMC 1000003)", "Dr C Carter (GMC 1000003)", "WA"),
]
RATES_ON = date(2025, 6, 30)  # the monitored months: July 2024 to June 2025


def rates_store(officer, doubled: bool = True) -> None:
    """Three certifiers (each at a ward of their own) from July 2023 to June 2025, one death
    each a month, 'Dr A Able' written two ways (the same doctor); with ``doubled``, Dr Able
    certifies two a month from January 2025 on: twice the expected rate for six months. The
    baseline is July 2023 to June 2024."""
    unit("EA", "East Area", 0, SQUARE_EAST)
    unit("WA", "West Area", 1, SQUARE_WEST)
    n = 0
    for month in range(24):
        year, index = 2023 + (month + 6) // 12, (month + 6) % 12 + 1
        for i, (name, other_spelling, code) in enumerate(DOCTORS):
            deaths = 2 if doubled and i == 0 and month >= 18 else 1
            for k in range(deaths):
                n += 1
                found = datetime(year, index, 1 + 10 * k + i, 12, 0, tzinfo=UTC)
                report = suspicious_report(
                    found_at=found,
                    reported_at=found + timedelta(minutes=30),
                    location__unit=code,
                    cause__certified_by=name if n % 2 else other_spelling,
                    cause__institution=f"{code} Hospital, Ward {i + 1}",
                    cause__institution_type="hospital_ward",
                )
                services.open_case(officer, f"RT-{n}", report, known_at=found)
