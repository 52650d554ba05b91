"""Casework from the case page, one form a page: add a person, log contact with family or
friends, answer a concern, record an exhibit and a step in its chain of custody. Actions and
referrals are in ``vigil.web.casework_tasks``; how a page reads, writes and shows its form is
in ``vigil.web.sheet``.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.enums import CustodyEventKind
from vigil.domain.investigation import CustodyEvent, Exhibit, LiaisonEntry
from vigil.domain.people import PersonEntry
from vigil.services import case_concerns
from vigil.web import casework_fields as cf
from vigil.web import forms
from vigil.web.sheet import Change, Sheet, form_page, now, one, read, serve, when, words

# --- persons


@form_page
def new_person(request: HttpRequest, reference: str) -> HttpResponse:
    """A person on the case with their parts and identifiers. Recording them re-links the
    case, so a phone another death shares can raise an alert at once."""
    actor, state = read(request, reference, Permission.RECORD_CASE)

    def build(entry: forms.Entry) -> Change | None:
        # Left empty, the ref is Vigil's to allocate (services.writers.persons).
        person = entry.model_of(PersonEntry, entry.given())
        if person is None:
            return None
        who = person.name or person.ref or "The person"
        roles = ", ".join(words(r) for r in person.roles)
        return Change(
            partial(services.record_person, actor, reference, person),
            f"{who} recorded on case {reference} as {roles}.",
        )

    sheet = Sheet(
        "Add a person",
        "Add the person",
        cf.PERSON,
        cf.PERSON_ORDER,
        intro="Anyone with a part in the death: family, friends, the caller, witnesses. Their "
        "phones, e-mail addresses, addresses and handles are compared with every other case.",
        rows={
            "identifiers": (
                "Phones, e-mail, addresses, handles",
                cf.IDENTIFIERS_HINT,
                cf.IDENTIFIER_ROWS,
            )
        },
    )
    return serve(request, state, sheet, build)


# --- liaison and concerns


@form_page
def new_liaison(request: HttpRequest, reference: str) -> HttpResponse:
    """Contact with family or friends: what they said, and any concern they raised (a concern
    stays on the checklist until it is answered)."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    view, layout = state.view, cf.liaison(state.view)
    nobody = "" if view.persons else "Contact is logged with a person on the case: add them first."

    def build(entry: forms.Entry) -> Change | None:
        contact = entry.model_of(LiaisonEntry, entry.given())
        if contact is None:
            return None
        return Change(
            partial(services.log_liaison, actor, reference, contact),
            f"Contact with {cf.person_name(view, contact.person_ref)} logged on case {reference}.",
        )

    sheet = Sheet(
        "Log contact with family or friends",
        "Log the contact",
        layout,
        cf.LIAISON_ORDER,
        rows={"concerns": ("Concerns they raised", cf.CONCERNS_HINT, cf.CONCERN_ROWS)},
        closed=nobody,
    )
    return serve(request, state, sheet, build, {"at": now()})


@form_page
def answer_concern(request: HttpRequest, reference: str) -> HttpResponse:
    """Answer one of the concerns family and friends raised that has no answer yet."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    waiting = [c for c in case_concerns(actor, reference, face="web") if not c.answer]
    texts = {str(c.id): c.text for c in waiting}
    layout = cf.concern_answer(
        tuple(
            (
                str(c.id),
                f"“{c.text}” ({cf.person_name(state.view, c.person_ref)}, {when(c.raised_at)})",
            )
            for c in waiting
        )
    )

    def build(entry: forms.Entry) -> Change | None:
        if entry.has_errors:
            return None
        key, answer = entry.values["concern"], entry.values["answer"]
        return Change(
            partial(services.answer_concern, actor, reference, int(key), answer),
            f"The concern “{texts.get(key, '')}” is answered on case {reference}.",
        )

    sheet = Sheet(
        "Answer a concern",
        "Record the answer",
        layout,
        ("concern", "answer"),
        required=("concern", "answer"),
        closed="" if waiting else "No concern of family or friends is waiting for an answer.",
    )
    return serve(request, state, sheet, build)


# --- exhibits and custody


@form_page
def new_exhibit(request: HttpRequest, reference: str) -> HttpResponse:
    """An exhibit and, if it is known, its seizure (the first step of its chain of custody)."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    seizure = tuple(p for p in cf.EXHIBIT.fields if p.startswith("seizure."))

    def build(entry: forms.Entry) -> Change | None:
        values = entry.given()
        taken = {p.removeprefix("seizure."): values.pop(p) for p in seizure if p in values}
        if taken:
            seized = {"kind": CustodyEventKind.SEIZED, **taken}
            event = entry.model_of(CustodyEvent, seized, prefix="seizure.")
            values["custody"] = (event,) if event else ()
        exhibit = entry.model_of(Exhibit, values)
        if exhibit is None:
            return None
        return Change(
            partial(services.record_exhibit, actor, reference, exhibit),
            f"Exhibit {exhibit.ref} recorded on case {reference}.",
        )

    order = (*cf.EXHIBIT_ORDER, ("Seizure", cf.SEIZURE_HINT, seizure))
    sheet = Sheet("Record an exhibit", "Record the exhibit", cf.EXHIBIT, order)
    return serve(request, state, sheet, build)


@form_page
def new_custody(request: HttpRequest, reference: str, exhibit_ref: str) -> HttpResponse:
    """The next step of an exhibit's chain of custody: it starts where the last one ended."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    exhibit = one(state.view.exhibits, exhibit_ref, "exhibit", reference)
    last = exhibit.custody[-1] if exhibit.custody else None

    def build(entry: forms.Entry) -> Change | None:
        event = entry.model_of(CustodyEvent, entry.given())
        if event is None:
            return None
        return Change(
            partial(services.record_custody, actor, reference, exhibit.ref, event),
            f"Exhibit {exhibit.ref}: {words(event.kind)} recorded on case {reference}.",
        )

    sheet = Sheet(
        f"Record a custody step of exhibit {exhibit.ref}",
        "Record the step",
        cf.CUSTODY,
        tuple(cf.CUSTODY.fields),
        about=[
            ("Exhibit", f"{exhibit.ref}: {exhibit.description}"),
            (
                "Last step",
                f"{words(last.kind)} on {when(last.at)}: {last.from_holder} to {last.to_holder}"
                if last
                else "None: the first step is its seizure",
            ),
        ],
        closed="The exhibit was destroyed: nothing can follow."
        if last and last.kind is CustodyEventKind.DESTROYED
        else "",
    )
    initial = {"at": now(), "from_holder": last.to_holder if last else ""}
    return serve(request, state, sheet, build, initial)
