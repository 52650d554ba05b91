from datetime import UTC, datetime, timedelta

import pytest

from vigil.domain import ActionState, CustodyEvent, DomainError
from vigil.domain.custody import append, broken_link
from vigil.domain.lifecycle import check_transition

T0 = datetime(2015, 6, 1, 8, tzinfo=UTC)


def ev(kind, hours, frm, to):
    return CustodyEvent(
        kind=kind, at=T0 + timedelta(hours=hours), from_holder=frm, to_holder=to, by="PC 1"
    )


def chain_of(*events):
    chain = []
    for event in events:
        chain.append(append(chain, event))
    return chain


def test_a_clean_chain_links_and_checks():
    chain = chain_of(
        ev("seized", 0, "scene", "PC 1"),
        ev("booked_in", 2, "PC 1", "property store"),
        ev("sent_for_examination", 30, "property store", "lab"),
    )
    assert chain[0].prev_hash == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    assert broken_link(chain) is None


def test_editing_an_event_breaks_the_chain_at_that_event():
    chain = chain_of(
        ev("seized", 0, "scene", "PC 1"),
        ev("booked_in", 2, "PC 1", "store"),
        ev("transferred", 3, "store", "lab"),
    )
    chain[1] = chain[1].model_copy(update={"to_holder": "somewhere else"})
    assert broken_link(chain) == 1


@pytest.mark.parametrize(
    ("events", "field", "says"),
    [
        ([ev("booked_in", 0, "scene", "PC 1")], "custody.kind", "must be 'seized'"),
        (
            [ev("seized", 0, "scene", "PC 1"), ev("booked_in", 1, "PC 2", "store")],
            "custody.from_holder",
            "gap in custody",
        ),
        (
            [ev("seized", 5, "scene", "PC 1"), ev("booked_in", 1, "PC 1", "store")],
            "custody.at",
            "before the previous event",
        ),
        (
            [
                ev("seized", 0, "scene", "PC 1"),
                ev("destroyed", 1, "PC 1", "incinerator"),
                ev("returned", 2, "incinerator", "family"),
            ],
            "custody.kind",
            "destroyed",
        ),
    ],
)
def test_broken_chains_are_refused(events, field, says):
    with pytest.raises(DomainError, match=says) as info:
        chain_of(*events)
    assert info.value.field == field


def test_actions_move_one_step_forward_only():
    check_transition(ActionState.RAISED, ActionState.ALLOCATED, owner="investigator")
    check_transition(ActionState.ALLOCATED, ActionState.COMPLETED, owner=None)
    with pytest.raises(DomainError, match="can only become allocated"):
        check_transition(ActionState.RAISED, ActionState.COMPLETED, owner="x")
    with pytest.raises(DomainError, match="named owner"):
        check_transition(ActionState.RAISED, ActionState.ALLOCATED, owner=None)
    with pytest.raises(DomainError, match="filed action cannot change"):
        check_transition(ActionState.FILED, ActionState.RAISED, owner="x")
