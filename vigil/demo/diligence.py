"""The reviewing officer's checklist, done: or, in a minority of suspicious deaths, not quite.

Every death that is (or may be) under investigation gets what the default policy pack asks
for: a sergeant at the scene, intelligence checks on the people around the death, the family
told, toxicology including GHB, the deceased's phone sought and examined, CCTV sought. A case
chosen to have gaps leaves one to three of these undone, the way the Barking deaths were
handled, so that the checklist has something to show.
"""

from __future__ import annotations

from random import Random

from vigil.demo import evidence
from vigil.demo.casework import Draft
from vigil.domain.enums import (
    CctvStatus,
    DeviceStatus,
    PlaceType,
    Presence,
    Role,
    ToxicologyStatus,
)
from vigil.domain.report import Attendance, Cctv, DeathReport, Device, Toxicology

# Gap name: what is left undone. Weighted towards what went wrong in Barking.
GAPS: dict[str, int] = {
    "intelligence": 20,  # no intelligence check on the caller
    "family": 15,  # next of kin never told (or not even recorded)
    "cctv": 15,  # CCTV not sought
    "referral": 15,  # the referral to the homicide team is never answered
    "note": 10,  # the note's handwriting is not examined
    "devices": 10,  # the deceased's missing phone is not pursued
    "sergeant": 8,  # no sergeant attended
    "concerns": 8,  # the family's concerns go unanswered
    "ghb": 5,  # toxicology does not ask for GHB
    "actions": 5,  # actions left open past their deadlines
}
GAPPY_SHARE = 0.4  # of suspicious deaths
CHECKED_ROLES = frozenset({Role.CALLER, Role.FINDER, Role.HOST, Role.FLATMATE, Role.LODGER})
_DONE_DEVICE = (DeviceStatus.EXAMINED, DeviceStatus.NOT_FOUND)


def choose_gaps(rng: Random) -> frozenset[str]:
    """No gaps for most cases; one to three for a minority."""
    if rng.random() >= GAPPY_SHARE:
        return frozenset()
    wanted = rng.choice((1, 1, 2, 2, 3))
    chosen: set[str] = set()
    while len(chosen) < wanted:
        chosen.add(rng.choices(tuple(GAPS), weights=tuple(GAPS.values()))[0])
    return frozenset(chosen)


def _intelligence(d: Draft) -> None:
    checked = {a.subject for a in d.actions if a.kind == "intelligence_check"}
    skip_caller = d.gap("intelligence")
    for person in d.persons:
        if person.ref in checked or not CHECKED_ROLES.intersection(person.roles):
            continue
        if skip_caller and Role.CALLER in person.roles:
            skip_caller = False
            continue
        subject = d.person(person.ref)
        raised = d.after(person.known_at or d.reported_at, 20, 240)
        evidence.action(
            d,
            "intelligence_check",
            f"Intelligence checks on {person.name}",
            raised,
            subject=subject,
            result="Checked on police systems; nothing of note.",
        )


def _family(d: Draft) -> None:
    kin = d.next_of_kin_refs()
    if kin and not d.gap("family") and not any(e.person_ref in kin for e in d.liaison):
        d.liaise(d.person(kin[0]), d.after(d.reported_at, 60, 900), "Informed of the death.")


def _devices(d: Draft, report: DeathReport) -> tuple[Device, ...]:
    rng = d.rng
    devices = list(report.devices)
    if not devices:
        devices.append(Device(kind="phone", description="Deceased's phone", owner="deceased"))
    made = []
    for device in devices:
        missing = device.owner == "deceased" and report.scene.phone is Presence.MISSING
        if d.gap("devices"):
            status = rng.choice((DeviceStatus.SOUGHT, DeviceStatus.NOT_SOUGHT))
        elif device.status in _DONE_DEVICE:
            status = device.status
        else:
            status = DeviceStatus.NOT_FOUND if missing else DeviceStatus.EXAMINED
        made.append(device.model_copy(update={"status": status}))
    return tuple(made)


def _cctv(d: Draft, report: DeathReport) -> tuple[Cctv, ...]:
    if report.cctv or d.gap("cctv"):
        return report.cctv
    place = report.location.place_type
    if place in (PlaceType.HOME, PlaceType.OTHER_RESIDENCE, PlaceType.HOSTEL):
        where, status = "Doorbell and street cameras near the address", CctvStatus.NONE_AVAILABLE
    else:
        where = f"Cameras around {report.location.description or 'the scene'}"
        status = d.rng.choice((CctvStatus.OBTAINED, CctvStatus.VIEWED))
    return (Cctv(location=where, status=status),)


def complete(d: Draft, report: DeathReport) -> DeathReport:
    """The report, and the draft's actions and liaison, with the checklist done (bar gaps)."""
    _intelligence(d)
    _family(d)
    attendance = report.attendance
    toxicology = report.toxicology
    if toxicology.requested_at is None:
        toxicology = Toxicology(
            status=ToxicologyStatus.PENDING,
            requested_at=d.after(attendance.arrived_at or d.reported_at, 60, 900),
            includes_ghb=d.asks_ghb,
        )
    return DeathReport.model_validate(
        {
            **{name: getattr(report, name) for name in report.model_fields_set},
            "attendance": Attendance(
                officer=attendance.officer,
                sergeant_or_above=not d.gap("sergeant"),
                arrived_at=attendance.arrived_at,
            ),
            "toxicology": toxicology,
            "devices": _devices(d, report),
            "cctv": _cctv(d, report),
        }
    )
