"""The rules a reporter's answers meet before they are sealed.

The questions (``vigil.services.portal.questions``) say how long each answer may be, which must
be given and what a choice may be; here they are applied, with the rules that join answers (a
way to make contact if contact is wanted; something to act on in a drugging report; the case
reference, or the name and the day, in a family's concern). The rules live in the service so
that whatever posts to the portal is held to them, not only its pages.

Every refusal is an ``Invalid`` naming the question, whose reason is a whole sentence naming it
("Their phone number is too long: keep it to 50 characters or fewer").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from vigil.services.errors import Invalid
from vigil.services.portal.questions import DRUGGING, FAMILY_CONCERN, LONG, QUESTIONS, answer_rows

__all__ = ["MESSAGE", "SOMETHING_TO_ACT_ON", "answer_rows", "check_answers", "check_message"]

MESSAGE = LONG
"""Characters in a message a reporter adds when they come back."""

SOMETHING_TO_ACT_ON = (
    "what_happened",
    "where",
    "when",
    "handle",
    "name_used",
    "phone",
    "app",
    "address",
    "description",
)
"""A drugging report must answer one of these at least: something the team can act on."""


def _text(name: str, value: object) -> str:
    """An answer as text: a date as YYYY-MM-DD, text without spaces at either end."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise Invalid(name, "This answer is not text.")
    return value.strip()


def _check_day(text: str, today: date) -> None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid("date_of_death", "Give the day they died as a real date") from None
    if day > today:
        raise Invalid("date_of_death", "The day they died is in the future: check it")


def check_answers(kind: str, answers: Mapping[str, object], today: date) -> dict[str, str]:
    """The answers given (those left empty left out) if they meet the rules of ``kind``;
    Invalid naming the first question whose answer breaks one."""
    questions = QUESTIONS.get(kind)
    if questions is None:
        raise Invalid("kind", "The portal takes no report of this kind.")
    if set(answers) - {q.name for q in questions}:
        raise Invalid("", "The report answers a question the portal does not ask.")
    given: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.name)
        text = "" if value is None else _text(question.name, value)
        if not text:
            if question.required:
                raise Invalid(question.name, question.missing)
            continue
        if len(text) > question.most:
            raise Invalid(question.name, question.too_long())
        if question.choices and text not in question.values:
            raise Invalid(question.name, question.missing)
        given[question.name] = text
    if "date_of_death" in given:
        _check_day(given["date_of_death"], today)
    if given.get("contact") == "yes" and "contact_how" not in given:
        raise Invalid(
            "contact_how", "Tell us how we can contact you safely, or choose not to be contacted"
        )
    if kind == DRUGGING and not any(name in given for name in SOMETHING_TO_ACT_ON):
        raise Invalid(
            "what_happened",
            "Tell us what happened, or something about the person, so that we can act on it",
        )
    if kind == FAMILY_CONCERN and "case_reference" not in given:
        for name in ("deceased_name", "date_of_death"):
            if name not in given:
                raise Invalid(name, "Give the case reference, or their name and the day they died")
    return given


def check_message(text: str) -> str:
    """A reporter's message without spaces at either end; Invalid if empty or too long."""
    message = text.strip()
    if not message:
        raise Invalid("text", "Write your message")
    if len(message) > MESSAGE:
        raise Invalid("text", f"Your message is too long: keep it to {MESSAGE:,} characters")
    return message
