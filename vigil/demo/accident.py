"""Accidents, and sudden natural deaths of young adults that only a post-mortem can explain."""

from __future__ import annotations

from vigil.demo import scene
from vigil.demo.casework import Draft
from vigil.domain.enums import Category, CauseStatus, LiaisonMethod, PlaceType, Presence, Role
from vigil.domain.report import Cause, DeathReport, FirstAccount, Scene

# (place type, cause, what happened, position)
ACCIDENTS = (
    (PlaceType.HOME, "1a Head injury 1b Fall down stairs", "fell down the stairs at home",
     "At the foot of the stairs"),
    (PlaceType.HOME, "1a Fractured neck of femur 1b Fall", "fell in the kitchen overnight",
     "On the kitchen floor"),
    (PlaceType.RIVER, "1a Drowning", "was seen to fall from the riverside path into the water",
     "Recovered from the water"),
    (PlaceType.CANAL, "1a Drowning", "was found in the canal after a night out",
     "Recovered from the water"),
    (PlaceType.STREET, "1a Multiple injuries 1b Road traffic collision",
     "was struck by a van while crossing the road", "In the carriageway"),
    (PlaceType.COMMERCIAL, "1a Multiple injuries 1b Fall from height",
     "fell from a roof while working", "On the yard below the roof"),
    (PlaceType.CAR_PARK, "1a Multiple injuries 1b Fall from height",
     "fell from the top deck of the car park", "At ground level beside the car park"),
)  # fmt: skip
SUDDEN_CAUSES = (
    "1a Sudden arrhythmic death syndrome",
    "1a Sudden unexpected death in epilepsy",
    "1a Hypertrophic cardiomyopathy",
    "1a Pulmonary thromboembolism",
)


def accident(d: Draft) -> DeathReport:
    rng = d.rng
    place, cause, what, position = rng.choice(ACCIDENTS)
    age = rng.randint(65, 95) if place is PlaceType.HOME else rng.randint(18, 80)
    v = scene.victim(d, age, male=0.6)
    location = scene.home(d, v, position) if place is PlaceType.HOME else scene.at_site(d, place)
    found_at = d.after(d.reported_at, -90, -5)
    attendance = scene.attendance(d, sergeant=0.4)
    arrived = attendance.arrived_at or d.reported_at
    relations = scene.RELATIONS_OLD if age > 60 else scene.RELATIONS_YOUNG
    nok, _ = scene.next_of_kin(d, v, relations, "Told of the death; no concerns.")
    if place is PlaceType.HOME:
        finder, role = nok, "next_of_kin"
    else:
        finder = d.recurring_in(Role.WITNESS) or d.people.new(d.borough, found_at.date())
        d.add(finder, Role.WITNESS, Role.CALLER, statement=f"Saw the {v.man_or_woman} who {what}.")
        role = "witness"
    d.liaise(
        nok,
        d.after(arrived, 60, 600),
        "Informed of the death in person.",
        method=LiaisonMethod.IN_PERSON,
    )
    scene.post_mortem(d, arrived, "Unnatural death: post-mortem and inquest.")
    result_at = d.days_after(d.reported_at, 21, 56)
    found = ("alcohol",) if rng.random() < 0.4 else ()
    d.update(result_at, DeathReport(toxicology=scene.toxicology_result(found)))
    d.decide(
        Category.UNEXPECTED_UNDER_INVESTIGATION,
        "Unexpected death with injuries: under investigation until the post-mortem.",
        d.after(arrived, 60, 720),
    )
    d.close(
        f"The {v.man_or_woman} {what}; the account fits the scene and the injuries; "
        "no third party involved.",
        d.days_after(result_at, 1, 7),
        "The injuries match the accident described; the post-mortem and toxicology found "
        "nothing else.",
    )
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{v.age}-year-old {v.man_or_woman} {what}.",
        location=location,
        deceased=scene.deceased(d, v, known_illness=False),
        first_account=FirstAccount(
            given_by=finder.name,
            given_by_role=role,
            account=f"The {v.man_or_woman} {what}.",
            fits_scene=True,
        ),
        attendance=attendance,
        scene=Scene(
            position=position,
            moved_after_death=False,
            injuries="Consistent with the account",
            phone=Presence.PRESENT,
            wallet=Presence.PRESENT,
            note_present=False,
            drug_paraphernalia=False,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 900), ghb=d.asks_ghb),
        cause=Cause(status=CauseStatus.CONFIRMED, text=cause),
    )


def unexplained(d: Draft) -> DeathReport:
    """A young adult found dead at home with no known illness: natural, but only the
    post-mortem can say so."""
    rng = d.rng
    v = scene.victim(d, rng.randint(18, 50), male=0.6)
    found_at = d.after(d.reported_at, -600, -10)
    attendance = scene.attendance(d, sergeant=0.8)
    arrived = attendance.arrived_at or d.reported_at
    nok, relation = scene.next_of_kin(
        d,
        v,
        scene.RELATIONS_YOUNG,
        f"Found {v.him} in bed; {v.he} had no illness.",
        Role.FINDER,
        Role.CALLER,
    )
    wants = (
        "Wants to know why a healthy person died.",
        "Explained the post-mortem and toxicology; will update when results come.",
    )
    d.liaise(nok, d.after(arrived, 30, 300), "Family liaison officer appointed.", concerns=(wants,))
    scene.post_mortem(d, arrived, "Sudden death, cause unknown.")
    d.decide(
        Category.UNEXPECTED_UNDER_INVESTIGATION,
        "Sudden death of a young adult with no known illness; cause unknown until the post-mortem.",
        d.after(arrived, 60, 600),
    )
    result_at = d.days_after(d.reported_at, 21, 56)
    result = DeathReport(
        toxicology=scene.toxicology_result(()),
        cause=Cause(status=CauseStatus.CONFIRMED, text=rng.choice(SUDDEN_CAUSES)),
    )
    d.update(result_at, result)
    d.close(
        "Post-mortem found a natural cause; toxicology clear.",
        d.days_after(result_at, 1, 5),
        "A natural cause of death is confirmed.",
    )
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{v.age}-year-old {v.man_or_woman} found dead in bed by {v.his} "
        f"{relation}; no known illness.",
        location=scene.home(d, v, "Bedroom"),
        deceased=scene.deceased(d, v, known_illness=False),
        first_account=FirstAccount(
            given_by=nok.name,
            given_by_role=relation,
            account=f"Went to wake {v.him} and {v.he} was cold.",
            fits_scene=True,
        ),
        attendance=attendance,
        scene=Scene(
            position="In bed",
            moved_after_death=False,
            injuries="None",
            phone=Presence.PRESENT,
            note_present=False,
            drug_paraphernalia=False,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 600), ghb=d.asks_ghb),
        cause=Cause(status=CauseStatus.PENDING),
    )
