"""Small factories for synthetic cases (invented names only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from vigil.domain import (
    Action,
    ActionState,
    ActionStep,
    CaseView,
    Category,
    CategoryDecision,
    Concern,
    CustodyEvent,
    CustodyEventKind,
    DeathReport,
    Exhibit,
    ExhibitKind,
    LiaisonEntry,
    LiaisonMethod,
    PersonEntry,
    Referral,
    ReferralState,
    Role,
    UserRole,
)
from vigil.domain.custody import append

T0 = datetime(2015, 6, 19, 8, 0, tzinfo=UTC)  # reported_at of every factory case
DECIDED = T0 + timedelta(hours=4)  # when factory decisions are made


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# A death no floor rule fires on: an old man with a known illness, at home, nothing odd.
QUIET: dict[str, Any] = {
    "reported_at": T0.isoformat(),
    "found_at": (T0 - hours(1)).isoformat(),
    "circumstances": "Found in bed by his carer.",
    "location": {"place_type": "home"},
    "deceased": {"age": 84, "sex": "male", "known_illness": True},
    "first_account": {"fits_scene": True},
    "scene": {"phone": "present", "moved_after_death": False, "note_present": False},
    "toxicology": {"status": "not_requested"},
}


def report(**changes: Any) -> DeathReport:
    """The QUIET report with nested changes: ``report(scene={"phone": "missing"})``."""
    return DeathReport.model_validate(_merge(QUIET, changes))


def person(
    ref: str, *roles: Role, name: str | None = None, known_at: datetime | None = None
) -> PersonEntry:
    return PersonEntry(
        ref=ref, name=name or ref.replace("-", " ").title(), roles=roles, known_at=known_at
    )


def action(
    ref: str,
    kind: str,
    *,
    subject: str | None = None,
    state: ActionState = ActionState.COMPLETED,
    deadline: datetime | None = None,
) -> Action:
    order = list(ActionState)
    steps = tuple(
        ActionStep(state=s, at=T0 + hours(i), by="det_testperson")
        for i, s in enumerate(order[: order.index(state) + 1])
    )
    return Action(
        ref=ref,
        kind=kind,
        title=f"{kind} {subject or ''}".strip(),
        subject=subject,
        owner="det_testperson",
        deadline=deadline,
        history=steps,
    )


def exhibit(
    ref: str, kind: ExhibitKind, *, seized: bool = True, examinations: tuple[str, ...] = ()
) -> Exhibit:
    chain: list[CustodyEvent] = []
    if seized:
        chain.append(
            append(
                chain,
                CustodyEvent(
                    kind=CustodyEventKind.SEIZED,
                    at=T0,
                    from_holder="scene",
                    to_holder="pc_testperson",
                    by="pc_testperson",
                ),
            )
        )
    if examinations:
        chain.append(
            append(
                chain,
                CustodyEvent(
                    kind=CustodyEventKind.SENT_FOR_EXAMINATION,
                    at=T0 + hours(2),
                    from_holder="pc_testperson",
                    to_holder="lab",
                    by="pc_testperson",
                    examinations=examinations,
                ),
            )
        )
    return Exhibit(
        ref=ref, description=f"{kind.value} from the scene", kind=kind, custody=tuple(chain)
    )


def liaison(
    person_ref: str, *, at: datetime = T0, concerns: tuple[Concern, ...] = ()
) -> LiaisonEntry:
    return LiaisonEntry(
        person_ref=person_ref,
        at=at,
        method=LiaisonMethod.IN_PERSON,
        officer="flo_testperson",
        summary="Told of the death.",
        concerns=concerns,
    )


def concern(text: str, *, answered: bool) -> Concern:
    if not answered:
        return Concern(text=text)
    return Concern(
        text=text,
        answer="Answered in person.",
        answered_by="det_testperson",
        answered_at=T0 + hours(3),
    )


def referral(ref: str, *, made_at: datetime = T0, answered: bool = False) -> Referral:
    if not answered:
        return Referral(
            ref=ref,
            to_team="Homicide team",
            made_at=made_at,
            made_by="insp_testperson",
            reason="Possible drugging.",
        )
    return Referral(
        ref=ref,
        to_team="Homicide team",
        made_at=made_at,
        made_by="insp_testperson",
        reason="Possible drugging.",
        state=ReferralState.ACCEPTED,
        answered_by="dci_testperson",
        answered_at=made_at + hours(2),
        answer_reason="Taken on.",
    )


# The users who decide in these cases, and their roles (``CaseView.roles``).
ROLES = {
    "insp_testperson": UserRole.REVIEWING_OFFICER,
    "pc_testperson": UserRole.RESPONSE_OFFICER,
}


def decision(
    category: Category,
    *,
    at: datetime = DECIDED,
    by: str = "insp_testperson",
    override_by: str | None = None,
    override_reason: str | None = None,
) -> CategoryDecision:
    return CategoryDecision(
        category=category,
        rationale="Reviewed the scene and the accounts.",
        decided_by=by,
        decided_at=at,
        override_by=override_by,
        override_reason=override_reason,
    )


def case(report_: DeathReport | None = None, **parts: Any) -> CaseView:
    parts.setdefault("roles", ROLES)
    return CaseView(reference="VGL-TEST-1", report=report_ or report(), **parts)


# Everything the default checklist asks for, done: each test takes one thing away.
COMPLETE_REPORT: dict[str, Any] = {
    "attendance": {"officer": "ps_testperson", "sergeant_or_above": True},
    "toxicology": {
        "status": "pending",
        "requested_at": (T0 + hours(1)).isoformat(),
        "includes_ghb": True,
    },
    "devices": [{"kind": "phone", "status": "examined"}, {"kind": "laptop", "status": "not_found"}],
    "cctv": [{"location": "Station Road", "status": "obtained"}],
    "scene": {
        "note_present": True,
        "bedding_or_clothing_disturbed": True,
        "drug_paraphernalia": True,
    },
}


def complete_case(**changes: Any) -> CaseView:
    """A case under investigation with every default checklist item met. ``changes`` replace
    the CaseView's parts (persons, actions, exhibits, liaison, referrals, decisions) or, under
    ``report``, merge into the report."""
    parts: dict[str, Any] = {
        "persons": (
            person("sam-testperson", Role.DECEASED),
            person("jo-testcaller", Role.CALLER),
            person("pat-testperson", Role.NEXT_OF_KIN),
        ),
        "actions": (action("A1", "intelligence_check", subject="jo-testcaller"),),
        "exhibits": (
            exhibit("E1", ExhibitKind.NOTE, examinations=("handwriting", "fingerprints")),
            exhibit("E2", ExhibitKind.BEDDING),
            exhibit("E3", ExhibitKind.CONTAINER),
        ),
        "liaison": (
            liaison("pat-testperson", concerns=(concern("Where is his phone?", answered=True),)),
        ),
        "referrals": (referral("R1", answered=True),),
        "decisions": (decision(Category.UNEXPECTED_UNDER_INVESTIGATION),),
    }
    report_changes = _merge(COMPLETE_REPORT, changes.pop("report", {}))
    parts.update(changes)
    return case(report(**report_changes), **parts)
