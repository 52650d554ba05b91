"""Clearance clusters on the store's own deaths, against a store counted by hand
(tests/store_screens.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_user
from tests.store_screens import clearance_store
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.oversight import clearance as rule

ALL = rule.Settings(sex=rule.Sex.ALL)


@pytest.fixture
def store(officer):
    clearance_store(officer)


def brief(result) -> list[tuple]:
    return [(g.unit, g.sex, g.mechanism, g.victims, g.solved) for g in result.groups]


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        # most unsolved first; ties by clearance, then the unit's name
        (
            ALL,
            [
                ("EA", "male", "drug toxicity", 4, 1),
                ("EA", "female", "drug toxicity", 2, 0),
                ("WA", "male", "not recorded", 2, 0),
            ],
        ),
        (rule.Settings(), [("EA", "female", "drug toxicity", 2, 0)]),  # MAP's default: women
        (
            rule.Settings(sex=rule.Sex.ALL, max_clearance=0.2),
            [
                ("EA", "female", "drug toxicity", 2, 0),
                ("WA", "male", "not recorded", 2, 0),
            ],
        ),
        (rule.Settings(sex=rule.Sex.ALL, min_victims=3), [("EA", "male", "drug toxicity", 4, 1)]),
        (
            rule.Settings(sex=rule.Sex.ALL, max_clearance=1.0, min_victims=2),
            [
                ("EA", "male", "drug toxicity", 4, 1),
                ("EA", "female", "drug toxicity", 2, 0),
                ("WA", "male", "not recorded", 2, 0),
                ("EA", "male", "asphyxia", 2, 2),
            ],
        ),
        (rule.Settings(sex=rule.Sex.ALL, years=(2016, 2020)), []),
    ],
)
def test_the_groups_are_the_hand_counted_ones(store, sergeant, screen, expected):
    result = services.store_clearance(sergeant, screen, face="t")
    assert brief(result) == expected


def test_no_crime_and_no_outcome_are_left_out_and_counted_as_such(store, sergeant):
    result = services.store_clearance(sergeant, ALL, face="t")
    assert (result.counted, result.no_crime, result.not_recorded) == (11, 1, 1)
    assert result.groups[0].unit_name == "East Area"
    assert result.groups[0].unsolved == 3 and result.groups[0].clearance == 0.25


def test_a_restricted_death_counts_only_for_those_named_on_it(store, sergeant):
    hidden = services.store_clearance(sergeant, ALL, face="t")
    assert ("WA", "male", "drug toxicity", 2, 0) not in brief(hidden)
    named = services.store_clearance(services.actor_for("sergeant2"), ALL, face="t")
    assert ("WA", "male", "drug toxicity", 2, 0) in brief(named)
    assert named.counted == hidden.counted + 1


def test_the_panel_reads_it_and_a_role_without_view_oversight_is_refused(store, officer):
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    assert brief(services.store_clearance(panel, ALL, face="t"))
    for role in (UserRole.RESPONSE_OFFICER, UserRole.ANALYST):
        reader = make_user(f"no-{role.value}", role)
        with pytest.raises(services.Forbidden):
            services.store_clearance(reader, ALL, face="t")


def test_reading_it_is_audited_as_one_consultation(store, sergeant):
    services.store_clearance(sergeant, ALL, face="t")
    entry = AuditEntry.objects.get(event="oversight.clearance_read")
    assert entry.actor == "sergeant1" and json.loads(entry.payload)["count"] == 11
