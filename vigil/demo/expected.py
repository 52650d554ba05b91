"""Expected deaths: older people with a known illness, at home, in a care home or hospital."""

from __future__ import annotations

from vigil.demo import evidence, places, scene
from vigil.demo.casework import Draft
from vigil.domain.enums import Category, CauseStatus, InstitutionType, PlaceType, Role
from vigil.domain.report import Cause, DeathReport, FirstAccount, Location, Scene

# (cause of death as certified, medical history)
CONDITIONS = (
    ("1a Metastatic carcinoma of the lung", "Lung cancer; under the palliative care team"),
    ("1a Ischaemic heart disease", "Heart failure; two admissions this year"),
    ("1a Chronic obstructive pulmonary disease", "COPD on home oxygen"),
    ("1a Alzheimer's disease", "Advanced dementia; bed-bound"),
    ("1a Bronchopneumonia 1b Frailty of old age", "Frailty; recurrent chest infections"),
    ("1a Cerebrovascular accident", "Two previous strokes"),
    ("1a Metastatic carcinoma of the prostate", "Prostate cancer; end-of-life care plan"),
    ("1a Congestive cardiac failure", "Heart failure; DNACPR in place"),
    ("1a End-stage renal failure", "Kidney failure; dialysis declined"),
)
PLACES = (PlaceType.HOME, PlaceType.CARE_HOME, PlaceType.HOSPITAL)
PLACE_WEIGHTS = (45, 35, 20)
INSTITUTIONS = {
    PlaceType.CARE_HOME: InstitutionType.CARE_HOME,
    PlaceType.HOSPITAL: InstitutionType.HOSPITAL_WARD,
}
POSITIONS = {
    PlaceType.HOME: ("In bed", "In an armchair"),
    PlaceType.CARE_HOME: ("In bed",),
    PlaceType.HOSPITAL: ("In a hospital bed",),
}
FAMILY_SAYS = {
    PlaceType.HOME: "Was there at the end; the family had been expecting it for some weeks.",
    PlaceType.CARE_HOME: "Was called by the home and came straight away; no concerns.",
    PlaceType.HOSPITAL: "Was at the bedside; the ward had warned the family.",
}


def expected(d: Draft) -> DeathReport:
    rng = d.rng
    place = rng.choices(PLACES, weights=PLACE_WEIGHTS)[0]
    location: Location
    institution: str | None = None
    if place is PlaceType.HOME:
        v = scene.victim(d, rng.randint(70, 98), male=0.45)
        location = scene.home(d, v, "Bedroom")
    else:
        site = places.site(rng, d.borough, place)
        assert site is not None  # every borough has a hospital and care homes
        location = places.site_location(rng, site, 20)
        institution = site.name
        lives_there = site.address if place is PlaceType.CARE_HOME else None
        v = scene.victim(d, rng.randint(70, 98), male=0.45, home_address=lives_there)
    cause, history = rng.choice(CONDITIONS)
    doctor = scene.gp(rng)
    found_at = d.after(d.reported_at, -240, -10)
    attendance = scene.attendance(d, sergeant=0.15)
    nok, relation = scene.next_of_kin(d, v, scene.RELATIONS_OLD, FAMILY_SAYS[place])
    if rng.random() < 0.3:
        scene.next_of_kin(d, v, scene.RELATIONS_OLD, "Family member; no concerns.")
    if place is PlaceType.CARE_HOME:
        carer = d.people.new(d.borough, found_at.date(), ages=(20, 60), phone=0.3)
        check = f"Found {v.him} unresponsive at the early morning check."
        d.add(carer, Role.FINDER, Role.CALLER, statement=check)
        account = (carer.name, "finder", check)
    else:
        account = (nok.name, relation, f"{v.he.capitalize()} passed away peacefully.")
    asked = (
        "Asked whether a post-mortem is needed.",
        "The coroner's officer confirmed none is needed: the GP will certify.",
    )
    d.liaise(
        nok,
        d.after(attendance.arrived_at or d.reported_at, 5, 120),
        f"{relation.capitalize()} present; understands {doctor} will issue the certificate; "
        "funeral director contacted.",
        concerns=(asked,) if rng.random() < 0.08 else (),
    )
    if rng.random() < 0.5:
        evidence.action(
            d,
            "gp_contact",
            f"Confirm {doctor} will issue the MCCD",
            d.reported_at,
            result=f"{doctor} confirmed and will issue.",
        )
    d.decide(
        Category.EXPECTED,
        f"Known illness ({history.split(';')[0].lower()}); {doctor} attended, confirmed death "
        "and will certify; no suspicious circumstances.",
        d.after(d.reported_at, 60, 720),
    )
    return DeathReport(
        reported_at=d.reported_at,
        found_at=found_at,
        circumstances=f"{v.age}-year-old {v.man_or_woman} with {history.lower()} died at "
        f"{location.description or 'home'}. {doctor} attended and will issue the certificate.",
        location=location,
        deceased=scene.deceased(
            d, v, known_illness=True, medical_history=history, occupation="retired"
        ),
        first_account=FirstAccount(
            given_by=account[0], given_by_role=account[1], account=account[2], fits_scene=True
        ),
        attendance=attendance,
        scene=Scene(
            position=rng.choice(POSITIONS[place]),
            moved_after_death=False,
            injuries="None",
            note_present=False,
            drug_paraphernalia=False,
            observations=f"{doctor} attended and confirmed death.",
        ),
        cause=Cause(
            status=CauseStatus.CONFIRMED,
            text=cause,
            certified_by=doctor,  # the rate screen counts each certifier's deaths
            institution=institution,
            institution_type=INSTITUTIONS.get(place),
        ),
    )
