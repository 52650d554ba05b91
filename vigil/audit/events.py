"""Every audited event: its verb (the kind of processing), its payload keys, its sentence."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any


class Verb(StrEnum):
    """The kinds of processing the law asks a police system to log."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"


class Event(Enum):
    """code, verb, required payload keys, sentence (formatted with actor, target and payload)."""

    CASE_OPENED = ("case.opened", Verb.COLLECTION, ("facts",), "{actor} opened case {target}")
    CASE_IMPORTED = (
        "case.imported",
        Verb.COLLECTION,
        ("created", "facts", "counts"),
        "{actor} imported case {target}",
    )
    FACTS_RECORDED = (
        "case.facts_recorded",
        Verb.ALTERATION,
        ("facts",),
        "{actor} recorded new facts on case {target}",
    )
    PERSON_RECORDED = (
        "case.person_recorded",
        Verb.COLLECTION,
        ("person", "roles"),
        "{actor} recorded a person on case {target}",
    )
    LIAISON_LOGGED = (
        "case.liaison_logged",
        Verb.COLLECTION,
        ("person", "at"),
        "{actor} logged contact with family or friends on case {target}",
    )
    CONCERN_ANSWERED = (
        "case.concern_answered",
        Verb.ALTERATION,
        ("concern",),
        "{actor} answered a concern on case {target}",
    )
    EXHIBIT_RECORDED = (
        "case.exhibit_recorded",
        Verb.COLLECTION,
        ("exhibit",),
        "{actor} recorded an exhibit on case {target}",
    )
    CUSTODY_RECORDED = (
        "case.custody_recorded",
        Verb.ALTERATION,
        ("exhibit", "kind", "hash"),
        "{actor} recorded a custody event on case {target}",
    )
    ACTION_RAISED = (
        "case.action_raised",
        Verb.COLLECTION,
        ("action",),
        "{actor} raised an action on {target}",
    )
    ACTION_MOVED = (
        "case.action_moved",
        Verb.ALTERATION,
        ("action", "state"),
        "{actor} moved an action on case {target}",
    )
    REFERRAL_MADE = (
        "case.referral_made",
        Verb.COLLECTION,
        ("referral",),
        "{actor} made a referral on {target}",
    )
    REFERRAL_ANSWERED = (
        "case.referral_answered",
        Verb.ALTERATION,
        ("referral", "state"),
        "{actor} answered a referral on case {target}",
    )
    CATEGORY_DECIDED = (
        "case.category_decided",
        Verb.ALTERATION,
        ("category", "rationale"),
        "{actor} categorised case {target}",
    )
    CASE_VIEWED = ("case.viewed", Verb.CONSULTATION, ("face",), "{actor} viewed case {target}")
    CASES_LISTED = ("cases.listed", Verb.CONSULTATION, ("face", "count"), "{actor} listed cases")
    CASES_EXPORTED = (
        "cases.exported",
        Verb.DISCLOSURE,
        ("format", "count"),
        "{actor} exported {count} cases",
    )
    CASE_LINKED = (
        "case.linked",
        Verb.COMBINATION,
        ("links", "alerts", "model"),
        "{actor} linked case {target} against the store",
    )
    STORE_LINKED = (
        "cases.linked",
        Verb.COMBINATION,
        ("cases", "links", "alerts", "model", "engine"),
        "{actor} re-linked {cases} cases",
    )
    LINK_JUDGED = (
        "link.judged",
        Verb.COMBINATION,
        ("verdict", "reason"),
        "{actor} judged the link {target}",
    )
    SERIES_VIEWED = (
        "series.viewed",
        Verb.CONSULTATION,
        ("face",),
        "{actor} viewed series {target}",
    )
    ALERTS_LISTED = ("alerts.listed", Verb.CONSULTATION, ("face", "count"), "{actor} listed alerts")
    USER_CREATED = ("user.created", Verb.COLLECTION, ("role",), "{actor} created user {target}")
    PASSWORD_SET = (
        "user.password_set",
        Verb.ALTERATION,
        (),
        "{actor} set the password of {target}",
    )
    USER_ROLE_SET = (
        "user.role_set",
        Verb.ALTERATION,
        ("role", "was"),
        "{actor} made {target} a {role}",
    )
    USER_DEACTIVATED = (
        "user.deactivated",
        Verb.ALTERATION,
        (),
        "{actor} deactivated the account of {target}",
    )
    USER_REACTIVATED = (
        "user.reactivated",
        Verb.ALTERATION,
        (),
        "{actor} reactivated the account of {target}",
    )
    TOTP_ENROLLED = (
        "user.totp_enrolled",
        Verb.ALTERATION,
        (),
        "{actor} enrolled a new authenticator for {target}",
    )
    CASE_RESTRICTED = (
        "case.restricted",
        Verb.ALTERATION,
        ("named",),
        "{actor} restricted case {target} to the users named on it",
    )
    CASE_UNRESTRICTED = (
        "case.unrestricted",
        Verb.ALTERATION,
        (),
        "{actor} lifted the restriction on case {target}",
    )
    CASE_USER_NAMED = (
        "case.user_named",
        Verb.ALTERATION,
        ("username",),
        "{actor} named {username} on case {target}",
    )
    CASE_USER_UNNAMED = (
        "case.user_unnamed",
        Verb.ALTERATION,
        ("username",),
        "{actor} removed {username} from case {target}",
    )

    def __init__(self, code: str, verb: Verb, keys: tuple[str, ...], sentence: str) -> None:
        self.code = code
        self.verb = verb
        self.keys = keys
        self.sentence = sentence

    @classmethod
    def from_code(cls, code: str) -> Event:
        for event in cls:
            if event.code == code:
                return event
        raise KeyError(code)

    def render(self, actor: str, target: str, payload: dict[str, Any]) -> str:
        return self.sentence.format(actor=actor, target=target, **payload)
