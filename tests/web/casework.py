"""Casework on a synthetic case, through the services: the persons, liaison (with a concern not
yet answered), an exhibit with its chain of custody, an action and a referral the officers'
pages show. Names, numbers and places are invented (the Ofcom drama range for phones)."""

from __future__ import annotations

from datetime import datetime, timedelta

from vigil import services
from vigil.domain import (
    Action,
    ActionStep,
    Actor,
    Concern,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    PersonEntry,
    Referral,
)


def add_casework(actor: Actor, reference: str, at: datetime, *, owner: str = "") -> None:
    """Persons, liaison, an exhibit, an action (owned by ``owner``) and a pending referral."""
    services.record_person(
        actor,
        reference,
        PersonEntry(
            ref=f"{reference}-CALLER",
            name="Chris Callerperson",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
            statement="Said he left him asleep at 4am.",
        ),
    )
    services.record_person(
        actor,
        reference,
        PersonEntry(ref=f"{reference}-MUM", name="Jo Familyperson", roles=["next_of_kin"]),
    )
    services.log_liaison(
        actor,
        reference,
        LiaisonEntry(
            person_ref=f"{reference}-MUM",
            at=at + timedelta(hours=5),
            method="in_person",
            officer="DC Liaison",
            summary="Told of the death. Says he never took drugs.",
            concerns=(Concern(text="Who was he with that night?"),),
        ),
    )
    seized = at + timedelta(hours=1)
    services.record_exhibit(
        actor,
        reference,
        Exhibit(
            ref="EX-1",
            description="Handwritten note found in the jacket pocket",
            kind="note",
            where_found="jacket pocket",
            seal_number="S-0001",
            custody=(
                CustodyEvent(
                    kind="seized",
                    at=seized,
                    from_holder="scene",
                    to_holder="PC Scene",
                    by="PC Scene",
                ),
                CustodyEvent(
                    kind="sent_for_examination",
                    at=seized + timedelta(hours=5),
                    from_holder="PC Scene",
                    to_holder="Forensic lab",
                    by="PC Scene",
                    examinations=("handwriting",),
                ),
            ),
        ),
    )
    services.raise_action(
        actor,
        reference,
        Action(
            ref="A-1",
            kind="intelligence_check",
            title="Check the caller on police systems",
            subject=f"{reference}-CALLER",
            owner=owner or None,
            deadline=at + timedelta(days=1),
            history=(ActionStep(state="raised", at=at + timedelta(hours=2), by=actor.username),),
        ),
    )
    services.make_referral(
        actor,
        reference,
        Referral(
            ref="R-1",
            to_team="Homicide team",
            made_at=at + timedelta(hours=3),
            made_by=actor.username,
            reason="GHB, a missing phone and a moved body.",
        ),
    )
