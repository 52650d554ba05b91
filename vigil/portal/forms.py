"""The portal's forms: Django forms built, as the web face builds its own, from field lists kept
as data (``vigil.web.forms.Layout``), and rendered with the same GOV.UK markup
(``vigil/forms/``). A report's fields are the service's questions (``services.PORTAL_QUESTIONS``,
their words, hints and choices), grouped here into the sections a page shows.

No form takes a file, and none carries Django's CSRF token (that would set a cookie): each
carries the service's form token instead (``services.portal_form_token``), which also refuses a
form sent back by a program, too late, or twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from vigil import services
from vigil.web.forms import Entry, Layout
from vigil.web.report_fields import Field

DRUGGING = "drugging"
FAMILY_CONCERN = "family_concern"
MESSAGE = "message"
"""The purpose of the token of the form that adds a message."""

CODE_MOST = 200  # characters: a receipt code is seven words, about fifty characters

GROUPS: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    DRUGGING: (
        ("What happened", ("who", "when", "where", "what_happened", "substances")),
        (
            "The person who did it",
            ("met_how", "app", "handle", "name_used", "phone", "address", "description"),
        ),
        ("Contact", ("contact", "contact_how")),
    ),
    FAMILY_CONCERN: (
        ("The person who died", ("case_reference", "deceased_name", "date_of_death")),
        ("You and what worries you", ("relationship", "concern")),
        ("Contact", ("contact", "contact_how")),
    ),
}
"""The sections of each report's page, by question name, in order."""


def _field(question: services.PortalQuestion) -> Field:
    return Field(
        path=question.name,
        label=question.label,
        kind=question.kind,
        hint=question.hint,
        choices=question.choices,
    )


def report_layout(kind: str) -> Layout:
    """The fields of a report of ``kind``, in the order its page shows them."""
    questions = {q.name: q for q in services.PORTAL_QUESTIONS[kind]}
    names = [name for _, group in GROUPS[kind] for name in group]
    return Layout.of(*(_field(questions[name]) for name in names))


CODE_LAYOUT = Layout.of(
    Field(
        "code",
        "Your receipt code",
        hint="The seven words you were given when you sent your report.",
        width="30",
    )
)
MESSAGE_LAYOUT = Layout.of(
    Field("code", "Your receipt code", kind="hidden"),
    Field("text", "Add a message", kind="textarea", hint="Anything more you want to tell us."),
)


class Sent(forms.Form):
    """What every portal form sends beside its fields: its token and, for a report, its
    kind (the form it came from)."""

    token = forms.CharField(required=False, max_length=200)
    kind = forms.ChoiceField(required=False, choices=[(DRUGGING, ""), (FAMILY_CONCERN, "")])


def sent(data: Mapping[str, Any]) -> tuple[str, str]:
    """The token and kind a form sent ('' for either if it was missing or not valid)."""
    form = Sent(data)
    if not form.is_valid():
        return "", ""
    return form.cleaned_data["token"], form.cleaned_data["kind"]


@dataclass(frozen=True)
class Section:
    """A section of a report's page: its heading and its fields, bound or not."""

    heading: str
    fields: list[Any]


def sections(kind: str, entry: Entry) -> list[Section]:
    """The page's sections of ``entry``, a report of ``kind``."""
    return [
        Section(heading, [entry.bound(name) for name in names]) for heading, names in GROUPS[kind]
    ]


def code_of(entry: Entry) -> str:
    """The receipt code typed or re-posted ('' if none), cut to a length no code exceeds."""
    code = entry.values.get("code") or ""
    return str(code)[:CODE_MOST]
