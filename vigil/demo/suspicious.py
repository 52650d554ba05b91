"""Suspicious deaths: young adults found dead in public places, with what went wrong in Barking.

A minority of these cases leave gaps on purpose (no intelligence check on the caller, no
liaison with the family, no CCTV sought, the sergeant not attending, a referral no one
answered) so that the reviewing officer's checklist has unmet items to show.
"""

from __future__ import annotations

from vigil.demo import places, scene
from vigil.demo.casework import Draft
from vigil.domain.enums import (
    ActionState,
    Category,
    CauseStatus,
    CctvStatus,
    DeviceStatus,
    ExhibitKind,
    PlaceType,
    Presence,
    ReferralState,
    Role,
)
from vigil.domain.report import (
    Cause,
    Cctv,
    DeathReport,
    Device,
    FirstAccount,
    Scene,
)

PLACES = (
    PlaceType.CHURCHYARD,
    PlaceType.PARK,
    PlaceType.STREET,
    PlaceType.ALLEY,
    PlaceType.RIVER,
    PlaceType.CEMETERY,
    PlaceType.CAR_PARK,
)
PLACE_WEIGHTS = (25, 25, 20, 10, 10, 5, 5)
GHB_IN_SUSPICIOUS = 0.05
OPEN = (ActionState.RAISED, ActionState.ALLOCATED)
OTHER_FINDINGS = (("alcohol",), ("alcohol", "cocaine"), ("mephedrone",), ("ketamine",), ())
HOMICIDE_TEAM = "Homicide and Major Crime Command"
POSITIONS = (
    "Sitting upright against a wall",
    "Lying on {his} back, arms by {his} sides",
    "Face down on the grass",
    "Lying on {his} side, as if asleep",
)
ACCOUNTS = (
    "Says they were walking a dog and found the {man}, who they thought was asleep.",
    "Says they saw the {man} sitting down a few minutes earlier and came back to check.",
    "Says they had never met the {man} and found the body on the way home from work.",
)
DISCREPANCIES = (
    "Rigor mortis established: dead for hours, not the minutes the caller describes.",
    "Caller says {he} was sitting up; {he} was found lying flat.",
    "Caller's route home does not pass this spot.",
    "Lividity on the back, but found face down: moved after death.",
)
CONCERNS = (
    ("{He} never took drugs; this makes no sense.", "Toxicology asked for, including GHB."),
    ("{His} phone is missing and no one seems to be looking for it.",
     "Phone enquiries raised with the network."),
    ("We found CCTV from the shop opposite ourselves; has anyone looked at it?",
     "CCTV collected and being viewed."),
    ("We think this is linked to the other death near {site}.",
     "Passed to the analyst to check for similar deaths."),
    ("Who is the man who called the police?", "Intelligence checks on the caller are under way."),
)  # fmt: skip


def suspicious(d: Draft) -> DeathReport:
    rng = d.rng
    v = scene.victim(d, rng.randint(18, 35), male=0.85)
    place = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    location = scene.at_site(d, place, metres=80)
    where = location.description or "the street"
    found_at = d.after(d.reported_at, -30, -2)
    attendance = scene.attendance(d, sergeant=0.7, low=8, high=40)
    arrived = attendance.arrived_at or d.reported_at
    caller = d.recurring_in(Role.CALLER) or d.people.new(
        d.borough, found_at.date(), ages=(25, 55), young=True, phone=1.0
    )
    caller_roles: tuple[Role, ...] = (Role.CALLER, Role.FINDER)
    if rng.random() < 0.25:
        caller_roles += (Role.PERSON_OF_INTEREST,)
    account = rng.choice(ACCOUNTS).format(man=v.man_or_woman)
    d.add(caller, *caller_roles, statement=account)
    fits = rng.random() < 0.45
    identified = rng.random() < 0.6
    identified_at = d.reported_at if identified else d.days_after(d.reported_at, 1, 4)
    if not identified:
        d.update(identified_at, DeathReport(deceased=scene.deceased(d, v)))
    nok = None
    if rng.random() < 0.85:
        nok, _ = scene.next_of_kin(d, v, scene.RELATIONS_YOUNG, f"Says {v.he} was not a drug user.")
    if rng.random() < 0.5:
        friend = d.recurring_in(Role.FRIEND) or d.people.new(
            d.borough, found_at.date(), ages=(18, 35), young=True
        )
        d.add(friend, Role.FRIEND, statement=f"Last saw {v.him} going to meet someone from an app.")
    if rng.random() < 0.25:
        witness = d.recurring_in(Role.WITNESS) or d.people.new(d.borough, found_at.date())
        d.add(witness, Role.WITNESS, statement=f"Saw two men near {where} late at night.")
    if rng.random() < 0.2:  # friends who see the link before the police do
        linked = d.people.new(d.borough, found_at.date(), ages=(18, 35), young=True)
        d.add(
            linked, Role.FRIEND, statement=f"Thinks this is linked to another death near {where}."
        )
    # The family: some are never spoken to, which the checklist should show.
    if nok is not None and rng.random() < 0.8:
        picks = rng.sample(CONCERNS, rng.randint(1, 3))
        d.liaise(
            nok,
            d.after(identified_at, 60, 1440),
            "Informed of the death.",
            concerns=[
                (
                    text.format(He=v.he.capitalize(), His=v.his.capitalize(), site=where),
                    answer if rng.random() < 0.5 else None,
                )
                for text, answer in picks
            ],
        )
    # Toxicology, and the result weeks later.
    ghb = rng.random() < GHB_IN_SUSPICIOUS
    ghb_asked = ghb or rng.random() < 0.6
    if ghb or rng.random() < 0.85:
        found = ("ghb", "alcohol") if ghb else rng.choice(OTHER_FINDINGS)
        later: dict[str, object] = {
            "toxicology": scene.toxicology_result(found, includes_ghb=ghb_asked)
        }
        if found and rng.random() < 0.6:
            text = "1a GHB toxicity" if ghb else f"1a Drug toxicity ({', '.join(found)})"
            later["cause"] = Cause(status=CauseStatus.CONFIRMED, text=text)
        d.update(d.days_after(d.reported_at, 21, 56), DeathReport.model_validate(later))
    # Exhibits.
    d.exhibit(
        ExhibitKind.CLOTHING,
        "Deceased's clothing",
        d.after(arrived, 60, 600),
        examinations=("DNA", "fibres") if rng.random() < 0.6 else (),
    )
    note = rng.random() < 0.15
    note_examined = note and rng.random() < 0.3
    if note:
        d.exhibit(
            ExhibitKind.NOTE,
            "Note found in the deceased's pocket",
            d.after(arrived, 20, 180),
            where_found="Trouser pocket",
            examinations=("handwriting", "fingerprints")
            if note_examined
            else ("fingerprints",)
            if rng.random() < 0.5
            else (),
        )
    phone = Presence.MISSING if rng.random() < 0.7 else Presence.PRESENT
    devices = [
        Device(
            kind="phone",
            description="Deceased's smartphone",
            owner="deceased",
            status=rng.choice(
                (DeviceStatus.SOUGHT, DeviceStatus.NOT_FOUND, DeviceStatus.NOT_SOUGHT)
            )
            if phone is Presence.MISSING
            else rng.choice((DeviceStatus.SEIZED, DeviceStatus.EXAMINED)),
        )
    ]
    if phone is Presence.PRESENT:
        d.exhibit(
            ExhibitKind.PHONE,
            "Deceased's smartphone",
            d.after(arrived, 20, 180),
            examinations=("download",) if rng.random() < 0.6 else (),
        )
    if rng.random() < 0.6:
        devices.append(
            Device(kind="phone", owner=caller.name, status=rng.choice(tuple(DeviceStatus)))
        )
    cctv: tuple[Cctv, ...] = ()
    if rng.random() < 0.7:
        spots = (f"Shops on {places.street(rng)}", f"{where} entrance", "Bus stop opposite")
        cctv = tuple(
            Cctv(location=spot, status=rng.choice(tuple(CctvStatus)))
            for spot in rng.sample(spots, rng.randint(1, 3))
        )
    # Actions: a few left out on purpose.
    if rng.random() < 0.7:
        d.action(
            "intelligence_check",
            f"Intelligence checks on the caller, {caller.name}",
            d.after(arrived, 30, 600),
            d.reach(),
            subject=caller,
        )
    if cctv:
        d.action("cctv_trawl", f"CCTV trawl around {where}", d.after(arrived, 30, 600), d.reach())
    if rng.random() < 0.5:
        d.action(
            "house_to_house", f"House-to-house near {where}", d.after(arrived, 60, 900), d.reach()
        )
    if phone is Presence.MISSING and rng.random() < 0.7:
        d.action(
            "phone_enquiry",
            "Trace the deceased's missing phone",
            d.after(arrived, 60, 900),
            d.reach(),
        )
    if note and not note_examined and rng.random() < 0.5:
        d.action(
            "handwriting_examination",
            "Compare the note with the deceased's handwriting",
            d.days_after(arrived, 1, 20),
            rng.choice(OPEN),
        )
    if rng.random() < 0.4:
        d.action(
            "pattern_analysis",
            "Check for similar deaths nearby",
            d.days_after(arrived, 1, 30),
            d.reach(),
            owner="analyst",
        )
    scene.post_mortem(
        d, arrived, "Unexplained death of a young adult.", answer="Accepted; forensic post-mortem."
    )
    # Categories: some were first written off as an overdose, as in Barking.
    first = d.after(arrived, 60, 720)
    if rng.random() < 0.3:
        d.decide(
            Category.UNEXPECTED_NOT_SUSPICIOUS,
            "Probable self-administered overdose; no obvious injuries.",
            first,
        )
        first = d.days_after(first, 2, 40)
    d.decide(
        Category.UNEXPECTED_UNDER_INVESTIGATION,
        "Young adult found in a public place"
        + ("; phone missing" if phone is Presence.MISSING else "")
        + ("; caller's account does not fit the scene" if not fits else "")
        + ". Suspicious until the investigation shows otherwise.",
        first,
    )
    if rng.random() < 0.7:
        state = rng.choices(tuple(ReferralState), weights=(40, 30, 30))[0]
        made = d.after(first, 30, 2880)
        d.refer(
            HOMICIDE_TEAM,
            "Unexplained death; features in common with other deaths nearby.",
            made,
            state,
            "Accepted for investigation."
            if state is ReferralState.ACCEPTED
            else "No evidence of third-party involvement yet.",
        )
        if state is ReferralState.ACCEPTED and rng.random() < 0.5:
            d.decide(
                Category.HOMICIDE,
                "Homicide team accepted the case; evidence of third-party involvement.",
                d.days_after(made, 7, 60),
            )
    moved = rng.choice((True, None, None, False)) if fits else rng.choice((True, True, None))
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{'' if identified else 'Unidentified '}{v.age}-year-old "
        f"{v.man_or_woman} found at {where}. {caller.name} called 999: {account}",
        location=location,
        deceased=scene.deceased(d, v, known_illness=False, identified=identified),
        first_account=FirstAccount(
            given_by=caller.name,
            given_by_role="caller",
            account=account,
            fits_scene=fits,
            discrepancies=None if fits else rng.choice(DISCREPANCIES).format(he=v.he),
        ),
        attendance=attendance,
        scene=Scene(
            position=rng.choice(POSITIONS).format(his=v.his),
            moved_after_death=moved,
            injuries=rng.choice(("None visible", "Scuffs to the heels, as if dragged")),
            phone=phone,
            wallet=Presence.MISSING if rng.random() < 0.3 else Presence.PRESENT,
            id_document=Presence.PRESENT if identified else Presence.MISSING,
            note_present=note,
            note_description=f"Note saying {v.he} took drugs and it was {v.his} own fault"
            if note
            else None,
            drug_paraphernalia=rng.random() < 0.3,
            bedding_or_clothing_disturbed=rng.random() < 0.4,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 900), ghb=ghb_asked),
        cause=Cause(status=CauseStatus.PENDING),
        devices=tuple(devices),
        cctv=cctv,
    )
