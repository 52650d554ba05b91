"""The words a reason uses for the facts of a death report and for vocabulary values.

A condition's reason is read by officers and by the advisory panel, so it names a fact as they
would ("a sergeant or above did not attend"), never by its path (``attendance.sergeant_or_above
is false``). Every fact a condition may name (``vigil.policy.facts.FACTS``) has its words here,
as data; a test keeps the table complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class FactWords:
    """``noun`` names the fact in a sentence ("the deceased's age"; for a flag "whether ...").
    A flag also has the sentences that state it: ``yes`` when true, ``no`` when false."""

    noun: str
    yes: str = ""
    no: str = ""


def _flag(noun: str, yes: str, no: str) -> FactWords:
    return FactWords(f"whether {yes}", yes, no) if not noun else FactWords(noun, yes, no)


FACT_WORDS: Mapping[str, FactWords] = MappingProxyType(
    {
        "reported_at": FactWords("the time the death was reported"),
        "found_at": FactWords("the time the body was found"),
        "circumstances": FactWords("the account of the circumstances"),
        "location.address": FactWords("the address where the body was found"),
        "location.latitude": FactWords("the latitude"),
        "location.longitude": FactWords("the longitude"),
        "location.place_type": FactWords("the place"),
        "location.description": FactWords("the description of the place"),
        "location.unit": FactWords("the command unit"),
        "deceased.identified": _flag(
            "", "the deceased is identified", "the deceased is not identified"
        ),
        "deceased.name": FactWords("the deceased's name"),
        "deceased.sex": FactWords("the deceased's sex"),
        "deceased.date_of_birth": FactWords("the deceased's date of birth"),
        "deceased.age": FactWords("the deceased's age"),
        "deceased.occupation": FactWords("the deceased's occupation"),
        "deceased.home_address": FactWords("the deceased's home address"),
        "deceased.nationality": FactWords("the deceased's nationality"),
        "deceased.known_illness": _flag(
            "whether the deceased had a known illness",
            "the deceased had a known illness",
            "the deceased had no known illness",
        ),
        "deceased.medical_history": FactWords("the deceased's medical history"),
        "deceased.sexuality": FactWords("the deceased's sexuality"),
        "deceased.drug_use": FactWords("the deceased's drug use"),
        "first_account.given_by": FactWords("who gave the first account"),
        "first_account.given_by_role": FactWords("the role of who gave the first account"),
        "first_account.account": FactWords("the first account"),
        "first_account.fits_scene": _flag(
            "whether the first account fits the scene",
            "the first account fits the scene",
            "the first account does not fit the scene",
        ),
        "first_account.discrepancies": FactWords("the discrepancies in the first account"),
        "attendance.officer": FactWords("the officer who attended"),
        "attendance.sergeant_or_above": _flag(
            "whether a sergeant or above attended",
            "a sergeant or above attended",
            "a sergeant or above did not attend",
        ),
        "attendance.arrived_at": FactWords("the time the police arrived"),
        "scene.position": FactWords("the position of the body"),
        "scene.moved_after_death": _flag(
            "whether the body was moved after death",
            "the body was moved after death",
            "the body was not moved after death",
        ),
        "scene.injuries": FactWords("the record of injuries"),
        "scene.phone": FactWords("the deceased's phone"),
        "scene.wallet": FactWords("the deceased's wallet"),
        "scene.id_document": FactWords("the deceased's identity document"),
        "scene.note_present": _flag(
            "whether a note was found", "a note was found", "no note was found"
        ),
        "scene.note_description": FactWords("the description of the note"),
        "scene.drug_paraphernalia": _flag(
            "whether drug paraphernalia was found",
            "drug paraphernalia was found",
            "no drug paraphernalia was found",
        ),
        "scene.bedding_or_clothing_disturbed": _flag(
            "whether bedding or clothing was disturbed",
            "bedding or clothing was disturbed",
            "bedding and clothing were not disturbed",
        ),
        "scene.observations": FactWords("the record of what was seen at the scene"),
        "toxicology.status": FactWords("toxicology"),
        "toxicology.requested_at": FactWords("the time toxicology was requested"),
        "toxicology.includes_ghb": _flag(
            "whether toxicology asks for GHB",
            "toxicology asks for GHB",
            "toxicology does not ask for GHB",
        ),
        "toxicology.substances": FactWords("the list of substances found"),
        "cause.status": FactWords("the cause of death"),
        "cause.text": FactWords("the cause of death as written"),
        "cause.mechanism": FactWords("how the death was caused"),
        "cause.certified_by": FactWords("the doctor who certified the death"),
        "cause.institution": FactWords("the institution where the death was certified"),
        "cause.institution_type": FactWords("the kind of institution"),
        "investigation.outcome": FactWords("the outcome of the investigation"),
        "devices": FactWords("the devices"),
        "cctv": FactWords("the CCTV"),
        # The kind of record, and what a drugging report and an intelligence entry hold
        # (vigil.domain.kinds); the death pack does not read them.
        "kind": FactWords("the kind of record"),
        "drugging.reporter": FactWords("who reported the drugging"),
        "drugging.met_via": FactWords("how they met the person reported"),
        "drugging.app": FactWords("the app or website where they met"),
        "drugging.handle": FactWords("the handle of the person reported"),
        "drugging.name_used": FactWords("the name the person reported used"),
        "drugging.phone": FactWords("the phone number of the person reported"),
        "drugging.address": FactWords("the address of the person reported"),
        "drugging.description": FactWords("the description of the person reported"),
        "drugging.substances_suspected": FactWords("the substances suspected"),
        "drugging.wants_contact": _flag(
            "whether the person harmed wants contact",
            "the person harmed wants contact",
            "the person harmed does not want contact",
        ),
        "intelligence.type": FactWords("what the intelligence entry records"),
        "intelligence.source": FactWords("where the intelligence entry comes from"),
        "intelligence.source_reference": FactWords("the intelligence entry's reference"),
        # Facts of the case's handling (vigil.policy.facts.CASE_FACTS).
        "panel_referred": _flag(
            "whether the case was referred to the advisory panel",
            "the case was referred to the advisory panel",
            "no referral to the advisory panel is recorded",
        ),
        "portal_concern_unanswered": _flag(
            "whether a concern sent through the public portal waits for an answer",
            "a concern sent through the public portal waits for an answer",
            "no concern sent through the public portal waits for an answer",
        ),
    }
)

# Whom an escalation step reaches (vigil.policy.escalation.EscalationTarget), in words.
ESCALATION_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "owner": "the item's owner",
        "owner_supervisor": "the owner's supervisor",
        "unit_duty_inspector": "the unit's duty inspector",
    }
)

# A panel referral rule's unmet item: its title, and the words that stand in for the pack's
# reason and evidence when the rule reads a sensitive fact (the deceased's sexuality or drug
# use), which most readers may not see: the item must not tell them what the mask withholds.
PANEL_TITLE = "Referral to the advisory panel required: {reason}"
PANEL_SENSITIVE_REASON = "the case meets one of the panel's criteria"
PANEL_SENSITIVE_RULE = (
    "The policy asks for a referral to the independent advisory panel when a case meets one "
    "of its criteria. This one rests on sensitive facts, shown only to those who may see them."
)
PANEL_SENSITIVE_EVIDENCE = "the facts it rests on are sensitive and not repeated here"

# How an unsigned decision reads when the pack asks for a sign-off only below the floor.
SIGNOFF_NOT_NEEDED = "{what} is at or above the floor, where the policy needs no sign-off"


def fact_words(path: str) -> FactWords:
    """The words for a fact path; a path missing from the table reads as its last part in words
    (the test on the table keeps that from reaching a page)."""
    found = FACT_WORDS.get(path)
    return found if found is not None else FactWords(vocabulary(path.rsplit(".", 1)[-1]))


def noun(path: str) -> str:
    return fact_words(path).noun


def escalation_target(to: str) -> str:
    """Whom an escalation step reaches, in words: ``owner_supervisor`` -> ``the owner's
    supervisor``."""
    return ESCALATION_WORDS.get(to, vocabulary(to))


def vocabulary(value: object) -> str:
    """A controlled-vocabulary value or a role in words: ``car_park`` -> ``car park``,
    ``reviewing_officer`` -> ``reviewing officer`` (an enum member by its value)."""
    text = getattr(value, "value", value)
    return str(text).replace("_", " ")


def a_role(role: object) -> str:
    """A role in words with its article: ``a reviewing officer``, ``an investigator``."""
    words = vocabulary(role)
    return f"{'an' if words[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {words}"
