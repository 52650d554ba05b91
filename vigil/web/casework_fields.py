"""The casework forms' fields: persons, liaison, exhibits and custody, actions, referrals and
the answers to concerns and referrals. Each field's ``path`` is its name in the domain's model
(``vigil.domain.people``, ``vigil.domain.investigation``), so the model's own errors land beside
the field that caused them (``vigil.web.forms.Entry.model_of``). Choices come from the domain's
vocabularies (``vigil.domain.enums``) or, for the persons on a case, from the case itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from vigil.domain.case import CaseView
from vigil.domain.enums import (
    CustodyEventKind,
    ExhibitKind,
    IdentifierKind,
    LiaisonMethod,
    Role,
)
from vigil.domain.masking import WITHHELD
from vigil.web.forms import Layout
from vigil.web.report_fields import SEXES, Choices, F, Field
from vigil.web.report_fields import _choices as choices

ROLES = choices(Role, {"next_of_kin": "Next of kin", "person_of_interest": "Person of interest"})
IDENTIFIER_KINDS = choices(IdentifierKind, {"email": "E-mail", "handle": "Online handle"})
METHODS = choices(LiaisonMethod, {"in_person": "In person", "email": "E-mail"})
EXHIBIT_KINDS = choices(ExhibitKind, {"cctv_media": "CCTV media"})
CUSTODY_KINDS = choices(CustodyEventKind)
ANSWERS: Choices = (("accept", "Accept"), ("decline", "Decline"))
IDENTIFIER_ROWS = 3
IDENTIFIERS_HINT = "Leave a row empty if there is nothing to record."
CONCERN_ROWS = 2
CONCERNS_HINT = (
    "Leave them empty if they raised none. A concern stays on the checklist until it is answered."
)


def _ref(noun: str, numbered: str) -> Field:
    return F(
        "ref",
        f"{noun} reference",
        hint=f"Leave it empty and Vigil numbers it ({numbered}).",
        width="20",
    )


# --- persons

PERSON_REF = F(
    "ref",
    "Person reference",
    hint="Leave it empty for someone new to Vigil. For someone already recorded on another "
    "case, give their reference there: the same reference is the same person.",
    width="20",
)
PERSON = Layout.of(
    PERSON_REF,
    F("name", "Name"),
    F("sex", "Sex", "radios", choices=SEXES),
    F("date_of_birth", "Date of birth", "date"),
    F(
        "roles",
        "Their part in the case",
        "checkboxes",
        choices=ROLES,
        hint="Select all that apply.",
    ),
    F("statement", "What they told police", "textarea"),
    rows={
        "identifiers": (
            "Identifier",
            (
                F("kind", "Kind", "select", choices=IDENTIFIER_KINDS),
                F(
                    "value",
                    "Number, address or name",
                    hint="Phones as dialled, for example 07700 900461.",
                ),
            ),
        )
    },
)
PERSON_ORDER = ("ref", "name", "sex", "date_of_birth", "roles", "identifiers", "statement")


def person_name(view: CaseView, ref: str) -> str:
    """A person on the case by name, if the reader may see it, else by reference."""
    person = next((p for p in view.persons if p.ref == ref), None)
    return person.name if person and person.name and person.name != WITHHELD else ref


def person_choices(view: CaseView) -> Choices:
    """The persons on the case, by reference, with their names and their parts."""
    out = []
    for p in view.persons:
        parts = ", ".join(r.value.replace("_", " ") for r in p.roles)
        out.append((p.ref, f"{person_name(view, p.ref)} ({parts})"))
    return tuple(out)


# --- liaison and concerns


def liaison(view: CaseView) -> Layout:
    return Layout.of(
        F("person_ref", "Who was contacted", "radios", choices=person_choices(view)),
        F("at", "When", "datetime"),
        F("method", "How", "radios", choices=METHODS),
        F("officer", "Officer who made contact", hint="For example DC 1234.", width="20"),
        F("summary", "What they said", "textarea"),
        rows={"concerns": ("Concern", (F("text", "What worries them", "textarea"),))},
    )


LIAISON_ORDER = ("person_ref", "at", "method", "officer", "summary", "concerns")


def concern_answer(concerns: Choices) -> Layout:
    return Layout.of(
        F("concern", "Which concern", "radios", choices=concerns),
        F(
            "answer",
            "Your answer",
            "textarea",
            hint="What was done about it, as you would tell them.",
        ),
    )


# --- exhibits and custody

CUSTODY_STEP = (
    F("at", "When", "datetime"),
    F("from_holder", "From", hint="Who or where had it until then.", width="20"),
    F("to_holder", "To", hint="Who or where has it now, for example Property store.", width="20"),
    F("by", "By", hint="Who moved it, for example PC 4821.", width="20"),
)
SEIZURE_LABELS = {
    "at": ("Seized at", ""),
    "from_holder": ("Seized from", "Where or whom it was taken from, for example scene."),
    "to_holder": ("Taken into the keeping of", "For example PC 4821."),
    "by": ("Seized by", "For example PC 4821."),
}
SEIZURE = tuple(
    replace(
        f, path=f"seizure.{f.path}", label=SEIZURE_LABELS[f.path][0], hint=SEIZURE_LABELS[f.path][1]
    )
    for f in CUSTODY_STEP
)
EXHIBIT = Layout.of(
    F("ref", "Exhibit reference", hint="As on its label, for example JD/1.", width="10"),
    F("description", "Description"),
    F("kind", "Kind", "radios", choices=EXHIBIT_KINDS),
    F("where_found", "Where it was found"),
    F("packaging", "Packaging"),
    F("seal_number", "Seal number", width="10"),
    *SEIZURE,
)
EXHIBIT_ORDER = ("ref", "description", "kind", "where_found", "packaging", "seal_number")
SEIZURE_HINT = "Leave these empty to record the seizure later, as its first custody step."
CUSTODY = Layout.of(
    F("kind", "What happened", "radios", choices=CUSTODY_KINDS),
    *CUSTODY_STEP,
    F(
        "examinations",
        "Examinations",
        "list",
        hint="When it is sent for examination: for example handwriting, fingerprints, DNA. "
        "Separate them with commas.",
    ),
    F("notes", "Notes", "textarea"),
)


# --- actions and referrals

OWNER = F("owner", "Allocated to", hint="The user name of whoever will do it.", width="20")


def action(view: CaseView) -> Layout:
    return Layout.of(
        _ref("Action", "A-1, A-2 ..."),
        F("title", "What is to be done"),
        F(
            "kind",
            "Kind of action",
            hint="A few words, for example intelligence check, cctv or phone enquiry. The "
            "checklist looks for an intelligence check about each caller, finder, host, "
            "flatmate and lodger.",
            width="20",
        ),
        F(
            "subject",
            "Who it is about",
            "radios",
            choices=(("", "No one in particular"), *person_choices(view)),
        ),
        OWNER,
        F("deadline", "Deadline", "datetime"),
    )


ACTION_STEP_FIELDS = {
    "owner": OWNER,
    "note": F("note", "Note", "textarea"),
    "result": F("result", "Result", "textarea", hint="What the action found."),
}

REFERRAL = Layout.of(
    _ref("Referral", "R-1, R-2 ..."),
    F("to_team", "To which team", hint="For example Homicide and Major Crime Command."),
    F("reason", "Why", "textarea"),
)
REFERRAL_ANSWER = Layout.of(
    F("accept", "Your answer", "radios", choices=ANSWERS),
    F("reason", "Reason", "textarea", hint="Recorded with your name on the case."),
)


def next_ref(prefix: str, taken: Iterable[str]) -> str:
    """The first of ``prefix``1, ``prefix``2 ... not taken."""
    used, number = set(taken), 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"
