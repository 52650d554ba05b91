"""Suspicious deaths: young adults found dead in public places, with what went wrong in Barking.

A minority of these cases leave gaps on purpose (``diligence.GAPS``: no intelligence check on
the caller, the family never told, no CCTV sought, a referral to the homicide team no one
answered, a note whose handwriting is never examined) so that the reviewing officer's
checklist has unmet items to show.
"""

from __future__ import annotations

from datetime import datetime

from vigil.demo import evidence, places, scene
from vigil.demo.casework import Draft
from vigil.demo.people import Person
from vigil.domain.enums import (
    ActionState,
    Category,
    CauseStatus,
    CctvStatus,
    DeviceStatus,
    ExhibitKind,
    PlaceType,
    Presence,
    Role,
)
from vigil.domain.report import Cause, Cctv, DeathReport, Device, FirstAccount, Scene

PLACES = (PlaceType.CHURCHYARD, PlaceType.PARK, PlaceType.STREET, PlaceType.ALLEY,
          PlaceType.RIVER, PlaceType.CEMETERY, PlaceType.CAR_PARK)  # fmt: skip
PLACE_WEIGHTS = (25, 25, 20, 10, 10, 5, 5)
GHB_IN_SUSPICIOUS = 0.05
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
OPEN = (ActionState.RAISED, ActionState.ALLOCATED)


def _people(d: Draft, v: scene.Victim, where: str, account: str, known: datetime) -> Person:
    """The caller (returned), the family, friends and witnesses."""
    rng = d.rng
    found = d.reported_at.date()
    caller = d.recurring_in(Role.CALLER) or d.people.new(
        d.borough, found, ages=(25, 55), young=True, phone=1.0
    )
    suspect = (Role.PERSON_OF_INTEREST,) if rng.random() < 0.25 else ()
    d.add(caller, Role.CALLER, Role.FINDER, *suspect, statement=account)
    # With the "family" gap, half the time the family is not even on the case.
    if not (d.gap("family") and rng.random() < 0.5):
        said = f"Says {v.he} was not a drug user."
        scene.next_of_kin(d, v, scene.RELATIONS_YOUNG, said, known_at=known)
    if rng.random() < 0.5:
        friend = d.recurring_in(Role.FRIEND) or d.people.new(
            d.borough, found, ages=(18, 35), young=True
        )
        d.add(friend, Role.FRIEND, statement=f"Last saw {v.him} going to meet someone from an app.")
    if rng.random() < 0.25:
        witness = d.recurring_in(Role.WITNESS) or d.people.new(d.borough, found)
        d.add(witness, Role.WITNESS, statement=f"Saw two men near {where} late at night.")
    if rng.random() < 0.2:  # friends who see the link before the police do
        linked = d.people.new(d.borough, found, ages=(18, 35), young=True)
        said = f"Thinks this is linked to another death near {where}."
        d.add(linked, Role.FRIEND, statement=said)
    kin = d.next_of_kin_refs()
    if kin and not d.gap("family"):
        picks = rng.sample(CONCERNS, rng.randint(1, 3))
        concerns = [
            (
                text.format(He=v.he.capitalize(), His=v.his.capitalize(), site=where),
                answer if rng.random() < 0.5 else None,
            )
            for text, answer in picks
        ]
        d.liaise(d.person(kin[0]), d.after(known, 60, 1440), "Informed of the death.", concerns)
    return caller


def _evidence(d: Draft, arrived: datetime, note: bool, phone: Presence, drugs: bool) -> None:
    rng = d.rng
    clothing = ("DNA", "fibres") if rng.random() < 0.6 else ()
    note_checks = ("fingerprints",) if d.gap("note") else ("handwriting", "fingerprints")
    has_phone = phone is Presence.PRESENT
    # (kind, description, where found, examinations, whether there is one)
    items = (
        (ExhibitKind.CLOTHING, "Deceased's clothing", None, clothing, True),
        (ExhibitKind.NOTE, "Note found in a pocket", "Trouser pocket", note_checks, note),
        (ExhibitKind.PHONE, "Deceased's smartphone", None, ("download",), has_phone),
        (ExhibitKind.CONTAINER, "Small plastic bottle, clear liquid", "Jacket pocket",
         ("drug analysis",), drugs),
    )  # fmt: skip
    for kind, description, where_found, examinations, there in items:
        if there:
            seized = d.after(arrived, 20, 600)
            evidence.exhibit(d, kind, description, seized, where_found=where_found,
                             examinations=examinations, returned=rng.random() < 0.5)  # fmt: skip


def _actions(d: Draft, arrived: datetime, where: str, note: bool, phone: Presence) -> None:
    rng = d.rng
    planned = (
        ("cctv_trawl", f"CCTV trawl around {where}", not d.gap("cctv")),
        ("house_to_house", f"House-to-house near {where}", rng.random() < 0.5),
        ("phone_enquiry", "Trace the deceased's missing phone",
         phone is Presence.MISSING and not d.gap("devices")),
        ("pattern_analysis", "Check for similar deaths nearby", rng.random() < 0.4),
    )  # fmt: skip
    for kind, title, wanted in planned:
        if wanted:
            owner = "analyst" if kind == "pattern_analysis" else None
            evidence.action(d, kind, title, d.after(arrived, 30, 2880), owner=owner)
    if note and d.gap("note"):  # raised, but never done
        title = "Compare the note with the deceased's handwriting"
        raised = d.days_after(arrived, 1, 20)
        evidence.action(d, "handwriting_examination", title, raised, reach=rng.choice(OPEN))


def _decisions(d: Draft, arrived: datetime, phone: Presence, fits: bool) -> None:
    rng = d.rng
    first = d.after(arrived, 60, 720)
    if rng.random() < 0.3:  # first written off as an overdose, as the Barking deaths were
        d.close(
            "Probable self-administered overdose; no obvious injuries.",
            first,
            "Looks like a self-administered overdose; nothing suggests a third party.",
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
    made = d.after(first, 30, 2880)
    declined = rng.random() < 0.5
    answer = (
        "No evidence of third-party involvement yet; keep under review."
        if declined
        else "Accepted for investigation."
    )
    d.refer(
        HOMICIDE_TEAM,
        "Unexplained death; features in common with other deaths nearby.",
        made,
        answer,
        declined=declined,
        may_go_unanswered=True,
    )
    if not declined and not d.gap("referral") and rng.random() < 0.35:
        d.decide(
            Category.HOMICIDE,
            "Homicide team accepted the case; evidence of third-party involvement.",
            d.days_after(made, 7, 60),
        )


def _cctv(d: Draft, where: str) -> tuple[Cctv, ...]:
    if d.gap("cctv"):
        return ()
    rng = d.rng
    spots = (f"Shops on {places.street(rng)}", f"{where} entrance", "Bus stop opposite")
    statuses = (
        CctvStatus.SOUGHT,
        CctvStatus.OBTAINED,
        CctvStatus.VIEWED,
        CctvStatus.NONE_AVAILABLE,
    )
    return tuple(
        Cctv(location=spot, status=rng.choice(statuses))
        for spot in rng.sample(spots, rng.randint(1, 3))
    )


def suspicious(d: Draft) -> DeathReport:
    rng = d.rng
    v = scene.victim(d, rng.randint(18, 35), male=0.85)
    place = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    location = scene.at_site(d, place, metres=80)
    where = location.description or "the street"
    found_at = d.after(d.reported_at, -30, -2)
    attendance = scene.attendance(d, sergeant=0.7, low=8, high=40)
    arrived = attendance.arrived_at or d.reported_at
    identified = rng.random() < 0.6
    known = d.reported_at if identified else d.days_after(d.reported_at, 1, 4)
    if not identified:
        d.update(known, DeathReport(deceased=scene.deceased(d, v)))
    account = rng.choice(ACCOUNTS).format(man=v.man_or_woman)
    caller = _people(d, v, where, account, known)
    fits = rng.random() < 0.45
    note = rng.random() < 0.15
    phone = Presence.MISSING if rng.random() < 0.7 else Presence.PRESENT
    drugs = rng.random() < 0.3
    # Toxicology, and the result weeks later.
    # Each chance is drawn whatever the others give, so that which deaths had GHB (by chance,
    # or as one of the demo's GHB series, ``d.ghb``) changes nothing else in the demo data.
    ghb = rng.random() < GHB_IN_SUSPICIOUS or d.ghb
    tested, other = rng.random() < 0.85, rng.choice(OTHER_FINDINGS)
    if ghb or tested:
        found = ("ghb", "alcohol") if ghb else other
        later: dict[str, object] = {
            "toxicology": scene.toxicology_result(found, includes_ghb=ghb or d.asks_ghb)
        }
        if found and rng.random() < 0.6:
            text = "1a GHB toxicity" if ghb else f"1a Drug toxicity ({', '.join(found)})"
            later["cause"] = Cause(status=CauseStatus.CONFIRMED, text=text)
        d.update(d.days_after(d.reported_at, 21, 56), DeathReport.model_validate(later))
    _evidence(d, arrived, note, phone, drugs)
    _actions(d, arrived, where, note, phone)
    scene.post_mortem(
        d, arrived, "Unexplained death of a young adult.", answer="Accepted; forensic post-mortem."
    )
    _decisions(d, arrived, phone, fits)
    phone_status = DeviceStatus.NOT_FOUND if phone is Presence.MISSING else DeviceStatus.EXAMINED
    devices = [
        Device(
            kind="phone", description="Deceased's smartphone", owner="deceased", status=phone_status
        )
    ]
    if rng.random() < 0.6:
        devices.append(Device(kind="phone", owner=caller.name, status=DeviceStatus.EXAMINED))
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
            drug_paraphernalia=drugs,
            bedding_or_clothing_disturbed=rng.random() < 0.4,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 900), ghb=ghb or d.asks_ghb),
        cause=Cause(status=CauseStatus.PENDING),
        devices=tuple(devices),
        cctv=_cctv(d, where),
    )
