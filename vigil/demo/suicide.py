"""Suicides: hanging, overdose, railway and drowning, with and without a note."""

from __future__ import annotations

from vigil.demo import evidence, scene
from vigil.demo.casework import Draft
from vigil.domain.enums import Category, CauseStatus, ExhibitKind, PlaceType, Presence, Role
from vigil.domain.report import Cause, DeathReport, FirstAccount, Scene

# (method, place types, cause, position, substances found)
METHODS = (
    ("hanging", (PlaceType.HOME, PlaceType.WOODLAND, PlaceType.OTHER_RESIDENCE),
     "1a Hanging", "Suspended by a ligature", ()),
    ("overdose", (PlaceType.HOME,), "1a Mixed drug toxicity (amitriptyline, paracetamol)",
     "On the bed, empty blister packs beside", ("amitriptyline", "paracetamol")),
    ("railway", (PlaceType.RAILWAY,), "1a Multiple injuries 1b Struck by a train",
     "On the track", ()),
    ("drowning", (PlaceType.RIVER, PlaceType.CANAL), "1a Drowning",
     "Recovered from the water", ()),
)  # fmt: skip
HISTORY = "Depression; under the community mental health team"


def suicide(d: Draft) -> DeathReport:
    rng = d.rng
    method, place_types, cause, position, substances = rng.choice(METHODS)
    place = rng.choice(place_types)
    v = scene.victim(d, scene.clipped_age(rng, 45, 15, 18, 85), male=0.75)
    location = scene.home(d, v, "Bedroom") if place is PlaceType.HOME else scene.at_site(d, place)
    found_at = d.after(d.reported_at, -120, -5)
    attendance = scene.attendance(d, sergeant=0.7, high=60)
    arrived = attendance.arrived_at or d.reported_at
    relations = scene.RELATIONS_YOUNG if v.age < 40 else scene.RELATIONS_OLD
    finds = place in (PlaceType.HOME, PlaceType.OTHER_RESIDENCE)
    finder_roles = (Role.FINDER, Role.CALLER) if finds else ()
    low = f"Says {v.he} had been low for months."
    nok, relation = scene.next_of_kin(d, v, relations, low, *finder_roles)
    if finds:
        account = (nok.name, relation, f"Came home and found {v.him}; called 999 at once.")
    else:
        finder = d.recurring_in(Role.WITNESS) or d.people.new(d.borough, found_at.date())
        d.add(finder, Role.FINDER, Role.CALLER, statement="Found the body and called 999.")
        account = (finder.name, "finder", "Found the body and called 999.")
    if rng.random() < 0.3:
        friend = d.recurring_in(Role.FRIEND) or d.people.new(d.borough, found_at.date())
        d.add(friend, Role.FRIEND, statement=f"Last spoke to {v.him} the day before.")
    note = rng.random() < 0.45
    if note:
        evidence.exhibit(
            d,
            ExhibitKind.NOTE,
            "Handwritten note addressed to the family",
            d.after(arrived, 20, 180),
            where_found="Beside the body",
            examinations=("handwriting", "fingerprints"),
            returned=True,
        )
    concerns: tuple[tuple[str, str | None], ...] = ()
    if rng.random() < 0.2:
        answer = "Passed to the coroner's officer for the inquest."
        concerns = (
            (
                f"Says {v.he} had been bullied at work and wants that looked at.",
                answer if rng.random() < 0.7 else None,
            ),
        )
    d.liaise(nok, d.after(arrived, 30, 600), "Informed of the death.", concerns=concerns)
    scene.post_mortem(d, arrived, "Apparent suicide: post-mortem and inquest.")
    d.decide(
        Category.UNEXPECTED_UNDER_INVESTIGATION,
        f"Apparent {method}: under investigation until the post-mortem and toxicology.",
        d.after(arrived, 60, 720),
    )
    found = substances or (("alcohol",) if rng.random() < 0.4 else ())
    later: dict[str, object] = {"toxicology": scene.toxicology_result(found)}
    cause_later = rng.random() < 0.65  # confirmed at the post-mortem, else at the scene
    if cause_later:
        later["cause"] = Cause(status=CauseStatus.CONFIRMED, text=cause)
    result_at = d.days_after(d.reported_at, 21, 56)
    d.update(result_at, DeathReport.model_validate(later))
    d.close(
        f"{method.capitalize()}; no sign of a third party; history of low mood"
        + ("; the note is in the deceased's hand." if note else "."),
        d.days_after(result_at, 1, 10),
        "Every fact that raised the floor has been examined: no sign of a third party.",
    )
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{v.age}-year-old {v.man_or_woman} found dead: apparent {method}.",
        location=location,
        deceased=scene.deceased(
            d, v, known_illness=False, medical_history=HISTORY if rng.random() < 0.5 else None
        ),
        first_account=FirstAccount(
            given_by=account[0], given_by_role=account[1], account=account[2], fits_scene=True
        ),
        attendance=attendance,
        scene=Scene(
            position=position,
            moved_after_death=False,
            phone=Presence.PRESENT,
            note_present=note,
            note_description="Handwritten note to the family" if note else None,
            drug_paraphernalia=False,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 900), ghb=d.asks_ghb),
        cause=Cause(status=CauseStatus.PENDING)
        if cause_later
        else Cause(status=CauseStatus.CONFIRMED, text=cause),
    )
