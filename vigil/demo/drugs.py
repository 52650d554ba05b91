"""Deaths from drug use: mostly heroin, methadone, cocaine or fentanyl; GHB very rarely."""

from __future__ import annotations

from vigil.demo import evidence, scene
from vigil.demo.casework import Draft
from vigil.domain.enums import (
    Category,
    CauseStatus,
    DeviceStatus,
    ExhibitKind,
    PlaceType,
    Presence,
    Role,
)
from vigil.domain.report import Cause, DeathReport, Device, FirstAccount, Location, Scene

MAIN_DRUGS = ("heroin", "methadone", "cocaine", "fentanyl", "pregabalin", "mephedrone",
              "ketamine", "tramadol")  # fmt: skip
MAIN_DRUG_WEIGHTS = (35, 20, 20, 8, 6, 4, 4, 3)
CO_DRUGS = ("alcohol", "diazepam", "pregabalin", "cannabis", "cocaine", "gabapentin")
PLACE_WEIGHTS = {
    PlaceType.HOME: 35,
    PlaceType.OTHER_RESIDENCE: 20,
    PlaceType.HOSTEL: 15,
    PlaceType.STREET: 8,
    PlaceType.ALLEY: 7,
    PlaceType.CAR_PARK: 5,
    PlaceType.PARK: 5,
    PlaceType.LICENSED_PREMISES: 5,
}
INDOORS = (PlaceType.HOME, PlaceType.OTHER_RESIDENCE, PlaceType.HOSTEL)
PARAPHERNALIA = (
    "Syringe, spoon and citric acid sachet",
    "Foil and a rolled banknote",
    "Crack pipe and lighter",
    "Small plastic bottle, contents unknown",
    "Wraps of white powder",
)
GHB_IN_DRUG_DEATHS = 0.004
TOGETHER = "had been using together the night before"


def substances(d: Draft) -> tuple[str, ...]:
    rng = d.rng
    found = [rng.choices(MAIN_DRUGS, weights=MAIN_DRUG_WEIGHTS)[0]]
    for extra in CO_DRUGS:
        if extra not in found and rng.random() < 0.2:
            found.append(extra)
    if rng.random() < GHB_IN_DRUG_DEATHS:
        found.append("ghb")
    return tuple(found)


def drugs(d: Draft) -> DeathReport:
    rng = d.rng
    place = rng.choices(tuple(PLACE_WEIGHTS), weights=tuple(PLACE_WEIGHTS.values()))[0]
    v = scene.victim(d, scene.clipped_age(rng, 38, 10, 18, 70), male=0.75)
    host = None
    location: Location
    if place is PlaceType.HOME:
        location = scene.home(d, v, "Living room")
    elif place is PlaceType.OTHER_RESIDENCE:
        host = d.people.new(d.borough, d.reported_at.date())
        address = host.address or d.people.fresh_address(d.borough)
        location = scene.other_residence(d, address, f"Flat of {host.name}")
    else:
        location = scene.at_site(d, place)
    found_at = d.after(d.reported_at, -240, -5)
    attendance = scene.attendance(d, sergeant=0.5, high=60)
    arrived = attendance.arrived_at or d.reported_at
    friend = d.recurring_in(Role.FRIEND, Role.CALLER) or d.people.new(
        d.borough, found_at.date(), ages=(18, 60), young=True
    )
    asleep = f"Says they {TOGETHER}; {v.he} was asleep when they left."
    d.add(friend, Role.FRIEND, Role.CALLER, statement=asleep)
    if host is not None:
        d.add(host, Role.HOST, statement=f"{v.name} stayed over after a party.")
    elif place is PlaceType.HOME and rng.random() < 0.35:
        sharer = d.people.new(d.borough, d.reported_at.date(), address=v.home_address)
        role = Role.FLATMATE if rng.random() < 0.6 else Role.LODGER
        d.add(sharer, role, Role.FINDER, statement=f"Found {v.him} in the morning.")
    nok, _ = scene.next_of_kin(d, v, scene.RELATIONS_YOUNG, f"Knew {v.he} used drugs.")
    found = substances(d)
    ghb_asked = "ghb" in found or d.asks_ghb
    d.decide(
        Category.UNEXPECTED_UNDER_INVESTIGATION,
        "Possible drug death: under investigation until toxicology confirms what was taken.",
        d.after(arrived, 60, 720),
    )
    if rng.random() < 0.8:  # the rest are still waiting for toxicology
        text = f"1a Mixed drug toxicity ({', '.join(found)})"
        result = DeathReport(
            toxicology=scene.toxicology_result(found, includes_ghb=ghb_asked),
            cause=Cause(status=CauseStatus.CONFIRMED, text=text),
        )
        result_at = d.days_after(d.reported_at, 21, 56)
        d.update(result_at, result)
        d.close(
            "Toxicology confirms self-administered drugs; the friend's account fits the "
            "scene; no sign of a third party.",
            d.days_after(result_at, 1, 10),
            "Toxicology explains the death and nothing suggests anyone else was involved.",
        )
    paraphernalia = rng.random() < 0.85
    if paraphernalia:
        evidence.exhibit(
            d,
            ExhibitKind.DRUG_PARAPHERNALIA,
            rng.choice(PARAPHERNALIA),
            d.after(arrived, 20, 180),
            where_found="Beside the body",
            examinations=("drug analysis",) if rng.random() < 0.6 else (),
            returned=rng.random() < 0.5,
        )
    if rng.random() < 0.7:
        supplier = ("Asks who supplied the drugs.", "Passed to the drugs unit.")
        asks = ((supplier[0], supplier[1] if rng.random() < 0.6 else None),)
        concerns = asks if rng.random() < 0.3 else ()
        d.liaise(nok, d.after(arrived, 60, 900), "Informed of the death.", concerns=concerns)
    scene.post_mortem(d, arrived, "Drug-related death: post-mortem and inquest.")
    if rng.random() < 0.25:
        declined = rng.random() < 0.3
        answer = "No line of enquiry on supply." if declined else "Taken on as a supply case."
        made = d.after(arrived, 120, 2880)
        d.refer("Drugs unit", "Who supplied the drugs?", made, answer, declined=declined)
    indoors = place in INDOORS
    positions = ("Slumped on the sofa", "On the floor") if indoors else ("On the ground",)
    seized = rng.random() < 0.3
    phone = Device(kind="phone", owner="deceased", status=DeviceStatus.SEIZED)
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{v.age}-year-old {v.man_or_woman} found dead; {friend.name} says they "
        f"{TOGETHER}.",
        location=location,
        deceased=scene.deceased(d, v, known_illness=False, medical_history="History of drug use"),
        first_account=FirstAccount(
            given_by=friend.name,
            given_by_role="friend",
            account=f"They {TOGETHER}.",
            fits_scene=rng.random() < 0.85,
        ),
        attendance=attendance,
        scene=Scene(
            position=rng.choice(positions),
            moved_after_death=False,
            phone=Presence.PRESENT,
            note_present=False,
            drug_paraphernalia=paraphernalia,
        ),
        toxicology=scene.toxicology_requested(d.after(arrived, 60, 900), ghb=ghb_asked),
        cause=Cause(status=CauseStatus.PENDING),
        devices=(phone,) if seized else (),
    )
