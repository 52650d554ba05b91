"""Exhibits with their chain of custody, and actions with their history.

Every chain the domain checks is built valid: custody starts with a seizure and passes from
hand to hand forward in time; an action moves one step at a time and has an owner once it is
allocated. Custody hashes are left empty: the service seals the chain on import.
"""

from __future__ import annotations

from datetime import datetime

from vigil.demo.casework import Draft
from vigil.demo.people import Person
from vigil.demo.users import DEMO_USERS
from vigil.domain.enums import ACTION_ORDER, ActionState, CustodyEventKind, ExhibitKind
from vigil.domain.investigation import Action, ActionStep, CustodyEvent, Exhibit

LAB = "Forensic laboratory"
LOGINS = frozenset(username for username, _, _ in DEMO_USERS)
# The kinds of action the generator raises (for the policy pack's action kinds to match).
ACTION_KINDS = ("gp_contact", "post_mortem", "intelligence_check", "cctv_trawl",
                "house_to_house", "phone_enquiry", "handwriting_examination",
                "pattern_analysis")  # fmt: skip
# How far an action got (raised ... filed), by weight: in a case with the "actions" gap some
# are still open (and so overdue); otherwise all are done.
_OPEN_WEIGHTS = (15, 25, 15, 20, 25)
_DONE_WEIGHTS = (0, 0, 15, 25, 60)


def exhibit(
    d: Draft,
    kind: ExhibitKind,
    description: str,
    seized_at: datetime,
    *,
    where_found: str | None = None,
    examinations: tuple[str, ...] = (),
    returned: bool = False,
) -> Exhibit:
    """Seized, booked into the store, perhaps sent to the lab (and back): each move starts
    with whoever had the exhibit last, and time only runs forward."""
    seizer = d.constable()
    store = f"Property store, {d.borough.station}"
    # (kind, to whom, by whom, minutes after the previous move: low, high)
    moves = [
        (CustodyEventKind.SEIZED, seizer, seizer, 0, 0),
        (CustodyEventKind.BOOKED_IN, store, seizer, 30, 360),
    ]
    if examinations:
        moves.append((CustodyEventKind.SENT_FOR_EXAMINATION, LAB, d.detective(), 1440, 14400))
        if returned:
            by = d.rng.choice(d.staff.constables)
            moves.append((CustodyEventKind.RETURNED, store, by, 10080, 57600))
    chain: list[CustodyEvent] = []
    holder, at = "Scene", seized_at
    for move, to_holder, by, low, high in moves:
        at = d.after(at, low, high)
        sent = move is CustodyEventKind.SENT_FOR_EXAMINATION
        chain.append(
            CustodyEvent(
                kind=move,
                at=at,
                from_holder=holder,
                to_holder=to_holder,
                by=by,
                examinations=examinations if sent else (),
            )
        )
        holder = to_holder
    made = Exhibit(
        ref=f"{d.initials}/{len(d.exhibits) + 1}",
        description=description,
        kind=kind,
        where_found=where_found,
        packaging=d.rng.choice(("Paper sack", "Plastic exhibit bag", "Tamper-evident bag")),
        seal_number=f"S{d.rng.randint(100000, 999999)}",
        custody=tuple(chain),
    )
    d.exhibits.append(made)
    return made


def how_far(d: Draft) -> ActionState:
    """How far an action got: done, unless the case leaves actions open."""
    weights = _OPEN_WEIGHTS if d.gap("actions") else _DONE_WEIGHTS
    return d.rng.choices(ACTION_ORDER, weights=weights)[0]


def action(
    d: Draft,
    kind: str,
    title: str,
    raised_at: datetime,
    *,
    reach: ActionState | None = None,
    subject: Person | None = None,
    result: str = "Done; nothing further.",
    owner: str | None = None,
) -> None:
    assert kind in ACTION_KINDS, kind
    owner = owner or d.detective()
    reach = reach or how_far(d)
    if reach is ActionState.ALLOCATED and owner not in LOGINS:
        owner = "investigator"  # an open action must reach someone who signs in (a demo log-in)
    steps = [ActionStep(state=ActionState.RAISED, at=raised_at, by=d.reviewer())]
    at = raised_at
    for state in ACTION_ORDER[1 : ACTION_ORDER.index(reach) + 1]:
        at = d.after(at, 30, 60 * 24 * 4)
        by = d.reviewer() if state in (ActionState.ALLOCATED, ActionState.FILED) else owner
        steps.append(ActionStep(state=state, at=at, by=by))
    allocated = reach is not ActionState.RAISED
    resulted = ACTION_ORDER.index(reach) >= ACTION_ORDER.index(ActionState.RESULTED)
    d.actions.append(
        Action(
            ref=f"A{len(d.actions) + 1}",
            kind=kind,
            title=title,
            subject=subject.ref if subject else None,
            owner=owner if allocated else None,
            deadline=d.days_after(steps[1].at, 2, 14) if allocated else None,
            result=result if resulted else None,
            history=tuple(steps),
        )
    )
