"""The questions the public portal asks, kept as data: the portal's pages are built from them,
the answers are checked against them (``vigil.services.portal.answers``), and the safeguarding
team reads a report with the same words the reporter was asked (``answer_rows``).

The wording is for people who may fear being judged about their sexuality or about drugs they
chose to take: plain, kind, never asking more than is needed, and saying what may be left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vigil.domain import limits

DRUGGING = "drugging"
FAMILY_CONCERN = "family_concern"

SHORT = 200
"""Characters in a short answer (a name, a handle, when it happened)."""
MEDIUM = 500
"""Characters in an answer of a sentence or two (where, an address, how to make contact)."""
LONG = 5000
"""Characters in an account (what happened, what worries a family): about two pages."""


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its name (the key of its answer), the words it is asked in, the noun a
    message calls it by, the most characters its answer may have, how it is answered (text,
    textarea, date or radios), a hint below it, whether it must be answered, and its choices
    as (value, words)."""

    name: str
    label: str
    noun: str
    most: int
    kind: str = "text"
    hint: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @property
    def missing(self) -> str:
        """The sentence shown when a required answer is missing."""
        return f"{'Select' if self.choices else 'Tell us'} {self.noun}"

    def too_long(self) -> str:
        """The sentence shown when the answer is longer than it may be."""
        noun = self.noun[:1].upper() + self.noun[1:]
        return f"{noun} is too long: keep it to {self.most:,} characters or fewer"


_CONTACT = (
    Question(
        "contact",
        "Do you want us to contact you?",
        "whether you want us to contact you",
        3,
        kind="radios",
        hint="You do not have to give any way to reach you. You can read our replies with "
        "your receipt code instead.",
        required=True,
        choices=(("no", "No, I will come back with my receipt code"), ("yes", "Yes")),
    ),
    Question(
        "contact_how",
        "If yes, how can we contact you safely?",
        "how we can contact you",
        MEDIUM,
        kind="textarea",
        hint="A phone number or email address, and when it is safe to call or write. Tell us "
        "if we should not say we are the police.",
    ),
)

QUESTIONS: Mapping[str, tuple[Question, ...]] = {
    DRUGGING: (
        Question(
            "who",
            "Who did this happen to?",
            "who it happened to",
            5,
            kind="radios",
            required=True,
            choices=(("me", "It happened to me"), ("other", "It happened to someone else")),
        ),
        Question(
            "when",
            "When did it happen?",
            "when it happened",
            SHORT,
            hint="A rough time is fine, for example: a Saturday night in early June.",
        ),
        Question(
            "where",
            "Where did it happen?",
            "where it happened",
            MEDIUM,
            kind="textarea",
            hint="An address, a street, a venue or an area.",
        ),
        Question(
            "what_happened",
            "What happened?",
            "what happened",
            LONG,
            kind="textarea",
            hint="In your own words, as much or as little as you want to tell us.",
        ),
        Question(
            "substances",
            "What do you think was used?",
            "what you think was used",
            MEDIUM,
            kind="textarea",
            hint="If you do not know, leave this empty. Telling us about drugs you chose to take "
            "will not get you into trouble.",
        ),
        Question(
            "met_how",
            "How did you meet the person?",
            "how you met the person",
            MEDIUM,
            kind="textarea",
            hint="For example on an app, at a party, a club or a chill-out.",
        ),
        Question("app", "The app or website, if you met on one", "the app or website", SHORT),
        Question("handle", "Their profile name or handle", "their profile name", SHORT),
        Question("name_used", "The name they used", "the name they used", SHORT),
        Question("phone", "Their phone number", "their phone number", 50),
        Question("address", "An address linked to them", "the address", MEDIUM, kind="textarea"),
        Question(
            "description",
            "What they look like",
            "what they look like",
            2000,
            kind="textarea",
            hint="Age, height, build, hair, tattoos, clothes, the way they speak: anything you "
            "remember.",
        ),
        *_CONTACT,
    ),
    FAMILY_CONCERN: (
        Question(
            "case_reference",
            "The case reference, if you have it",
            "the case reference",
            limits.REFERENCE,
            hint="Police may have given it to you in a letter or on a card. If you do not have "
            "it, give their name and the day they died instead.",
        ),
        Question("deceased_name", "Their name", "their name", limits.PERSON_NAME),
        Question(
            "date_of_death",
            "The day they died",
            "the day they died",
            10,
            kind="date",
            hint="If you do not know the exact day, give the nearest you know.",
        ),
        Question(
            "relationship",
            "How did you know them?",
            "how you knew them",
            SHORT,
            hint="For example partner, friend, brother, flatmate. You do not have to be family.",
            required=True,
        ),
        Question(
            "concern",
            "What worries you about how their death is being investigated?",
            "what worries you",
            LONG,
            kind="textarea",
            hint="Anything you think was missed, anything you know that police may not, or "
            "anyone you think they should speak to.",
            required=True,
        ),
        *_CONTACT,
    ),
}


def answer_rows(kind: str, answers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A report's answers as (the question's words, the answer's words), in the order they
    were asked; an answer to a question no longer asked keeps its name."""
    questions = QUESTIONS.get(kind, ())
    rows = [
        (q.label, dict(q.choices).get(answers[q.name], answers[q.name]))
        for q in questions
        if q.name in answers
    ]
    asked = {q.name for q in questions}
    rows += [(name, text) for name, text in answers.items() if name not in asked]
    return tuple(rows)
