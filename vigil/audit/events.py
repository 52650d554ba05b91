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
    AUTHENTICATION = "authentication"  # signing in and out, and refusals of both steps


class Event(Enum):
    """code, verb, required payload keys, sentence (formatted with actor, target and payload)."""

    CASE_OPENED = ("case.opened", Verb.COLLECTION, ("facts",), "{actor} opened case {target}")
    CONSISTENCY_READ = (
        "oversight.consistency_read",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} read the consistency dashboard ({count} deaths counted)",
    )
    ESCALATION_SENT = (
        "escalation.sent",
        Verb.DISCLOSURE,
        ("item", "step", "to", "as_the"),
        "{actor} told {to} that '{item}' on case {target} is overdue",
    )
    ESCALATION_NOT_SENT = (
        "escalation.not_sent",
        Verb.CONSULTATION,
        ("item", "step", "to"),
        "{actor} could not pass '{item}' on case {target} to anyone entitled to see the case",
    )
    # A report from the portal left unanswered (vigil.services.portal.escalation): the same
    # steps, on the report (by its id) rather than a case.
    PORTAL_ESCALATION_SENT = (
        "escalation.portal_sent",
        Verb.DISCLOSURE,
        ("item", "step", "to", "as_the"),
        "{actor} told {to} that '{item}' (portal report {target}) is overdue",
    )
    PORTAL_ESCALATION_NOT_SENT = (
        "escalation.portal_not_sent",
        Verb.CONSULTATION,
        ("item", "step", "to"),
        "{actor} could not pass '{item}' (portal report {target}) to anyone entitled to know "
        "of the report",
    )
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
    PROFILES_BUILT = (
        "profiles.built",
        Verb.COMBINATION,
        ("cases",),
        "{actor} rebuilt the linkage profiles of {cases} cases",
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
    CASE_SCANNED = (
        "case.scanned",
        Verb.COMBINATION,
        ("profiles", "alerts"),
        "{actor} scanned for clusters around case {target}",
    )
    STORE_SCANNED = (
        "cases.scanned",
        Verb.COMBINATION,
        ("profiles", "cases", "alerts"),
        "{actor} scanned {cases} cases for clusters",
    )
    CLUSTER_JUDGED = (
        "cluster.judged",
        Verb.COMBINATION,
        ("verdict", "reason", "cases"),
        "{actor} judged the cluster alert {target}",
    )
    # A judgement made the case part of a confirmed series below the floor a series warrants.
    SERIES_REVIEW = (
        "case.series_review",
        Verb.ALTERATION,
        ("series", "cases", "reason", "floor", "category"),
        "{actor}'s judgement made case {target} part of confirmed series {series}: "
        "its category goes back to the reviewing officer",
    )
    CLUSTER_ALERTS_LISTED = (
        "cluster_alerts.listed",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} listed cluster alerts",
    )
    # Early warning on the store's own deaths (vigil.services.readmodels.clearance,
    # vigil.services.linkage.rates): the target of a rate alert's events is its id.
    CLEARANCE_READ = (
        "oversight.clearance_read",
        Verb.CONSULTATION,
        ("face", "count", "groups"),
        "{actor} read the clearance clusters of the store ({count} deaths counted)",
    )
    RATES_SCREENED = (
        "rates.screened",
        Verb.COMBINATION,
        ("at", "deaths", "signals", "alerts"),
        "{actor} screened {deaths} deaths for unusual rates ({alerts} new rate alerts)",
    )
    RATE_ALERTS_LISTED = (
        "rate_alerts.listed",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} listed rate alerts",
    )
    RATE_ALERT_VIEWED = (
        "rate_alert.viewed",
        Verb.CONSULTATION,
        ("face", "cases"),
        "{actor} viewed the rate alert {target}",
    )
    RATE_JUDGED = (
        "rate_alert.judged",
        Verb.COMBINATION,
        ("verdict", "reason"),
        "{actor} answered the rate alert {target}: {verdict}",
    )
    # Retrospective reviews of past deaths (vigil.services.casework.reviews): the target is the
    # review's id, or the case a review's outcome changed.
    REVIEW_DEFINED = (
        "review.defined",
        Verb.COLLECTION,
        ("title", "selection", "reviewers", "panel_sits"),
        "{actor} defined the retrospective review {target}, '{title}'",
    )
    REVIEWS_LISTED = (
        "reviews.listed",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} listed retrospective reviews",
    )
    REVIEW_READ = (
        "review.read",
        Verb.CONSULTATION,
        ("face", "cases"),
        "{actor} read the deaths of retrospective review {target}",
    )
    REVIEW_RELINKED = (
        "review.relinked",
        Verb.COMBINATION,
        ("cases",),
        "{actor} re-linked the deaths of retrospective review {target} with today's linkage",
    )
    REVIEW_OUTCOME = (
        "review.outcome",
        Verb.COLLECTION,
        ("case", "outcome", "rationale", "detail"),
        "{actor} gave case {case} the outcome '{outcome}' in retrospective review {target}",
    )
    REVIEW_CLOSED = (
        "review.closed",
        Verb.ALTERATION,
        ("title",),
        "{actor} closed the retrospective review {target}",
    )
    # A review's outcome 're-open': the case's category goes back to the reviewing officer.
    CASE_REOPENED = (
        "case.reopened",
        Verb.ALTERATION,
        ("review", "category", "rationale"),
        "{actor} re-opened case {target} in retrospective review {review}: its category goes "
        "back to the reviewing officer",
    )
    # The independent advisory panel: a case or series put before it (a disclosure, to people
    # outside the investigation), its advice, and the answer the referring officer owes it.
    PANEL_REFERRED = (
        "panel.referred",
        Verb.DISCLOSURE,
        ("referral", "cases", "panel_member", "answer_due"),
        "{actor} referred {target} to the independent advisory panel",
    )
    PANEL_ADVISED = (
        "panel.advised",
        Verb.COLLECTION,
        ("referral", "advice", "answer_due"),
        "{actor} gave the advisory panel's advice on {target}",
    )
    PANEL_ADVICE_ANSWERED = (
        "panel.advice_answered",
        Verb.COLLECTION,
        ("referral", "advice", "accepted", "reason"),
        "{actor} answered the advisory panel's advice on {target}",
    )
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
    USER_SUPERVISOR_SET = (
        "user.supervisor_set",
        Verb.ALTERATION,
        ("supervisor", "was"),
        "{actor} recorded {supervisor} as the supervisor of {target}",
    )
    UNIT_DUTY_INSPECTOR_SET = (
        "unit.duty_inspector_set",
        Verb.ALTERATION,
        ("inspector", "was"),
        "{actor} recorded {inspector} as the duty inspector of unit {target}",
    )
    USER_UNIT_SET = (
        "user.unit_set",
        Verb.ALTERATION,
        ("unit", "was"),
        "{actor} set the command unit of {target}",
    )
    # Command units: the administrator replaces the whole set from a GeoJSON file.
    UNITS_LOADED = (
        "units.loaded",
        Verb.ALTERATION,
        ("file", "units", "added", "removed", "moves", "cases_placed"),
        "{actor} loaded {units} command units from {file}",
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
    # Attachments: files kept outside the database, each with the SHA-256 taken at upload.
    ATTACHMENT_ADDED = (
        "case.attachment_added",
        Verb.COLLECTION,
        ("attachment", "name", "content_type", "size", "sha256"),
        "{actor} attached the file {name} to case {target}",
    )
    ATTACHMENTS_LISTED = (
        "case.attachments_listed",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} listed the attachments of case {target}",
    )
    ATTACHMENT_DOWNLOADED = (
        "case.attachment_downloaded",
        Verb.CONSULTATION,
        ("face", "attachment", "name", "sha256"),
        "{actor} downloaded the file {name} attached to case {target}",
    )
    ATTACHMENT_REFUSED = (
        "case.attachment_refused",
        Verb.CONSULTATION,
        ("face", "attachment", "name", "sha256", "found"),
        "{actor} was refused the file {name} attached to case {target}: the stored file is "
        "not the one uploaded",
    )
    # Need-to-know: a person's shared details changed through another case, and a reference
    # tried that names no case the actor may see (hidden, or missing: auditors may know which).
    PERSON_CHANGED = (
        "case.person_changed",
        Verb.ALTERATION,
        ("person", "fields", "via"),
        "{actor} changed the details of person {person} on case {target} through case {via}",
    )
    CASE_PROBED = (
        "case.probed",
        Verb.CONSULTATION,
        ("attempt", "exists"),
        "{actor} tried to {attempt} case {target}, which they may not see or which does not exist",
    )
    # Signing in. Never a password or a code: the address the request came from, at most.
    SIGNED_IN = (
        "user.signed_in",
        Verb.AUTHENTICATION,
        ("address",),
        "{actor} signed in with their password",
    )
    SIGN_IN_REFUSED = (
        "user.sign_in_refused",
        Verb.AUTHENTICATION,
        ("address",),
        "a sign-in as {target} was refused (wrong name or password, or locked out)",
    )
    LOCKED_OUT = (
        "user.locked_out",
        Verb.AUTHENTICATION,
        ("address", "failures"),
        "{target} was locked out after {failures} failed sign-ins",
    )
    CODE_ACCEPTED = (
        "user.code_accepted",
        Verb.AUTHENTICATION,
        ("address",),
        "{actor} gave the code from their authenticator",
    )
    CODE_REFUSED = (
        "user.code_refused",
        Verb.AUTHENTICATION,
        ("address",),
        "{actor} gave a wrong code from their authenticator",
    )
    SIGNED_OUT = ("user.signed_out", Verb.AUTHENTICATION, ("address",), "{actor} signed out")
    # The audit trail itself.
    AUDIT_KEYED = (
        "audit.keyed",
        Verb.ALTERATION,
        ("unkeyed_rows",),
        "{actor} began signing the audit trail with its key after {unkeyed_rows} unsigned rows",
    )
    AUDIT_READ = (
        "audit.read",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} read the audit trail of {target}",
    )
    STORE_BACKED_UP = (
        "store.backed_up",
        Verb.DISCLOSURE,
        ("file",),
        "{actor} backed up the whole store to {file}",
    )
    STORE_RESTORED = (
        "store.restored",
        Verb.COLLECTION,
        ("file", "rows"),
        "{actor} restored the whole store from {file}",
    )
    # The reporter's side of the public portal (vigil.services.portal.submissions): the actor is
    # "portal", the row is dated to the day, and the payload is the submission's id and kind
    # only: never a reporter's words, address, browser or code.
    PORTAL_SUBMITTED = (
        "portal.submitted",
        Verb.COLLECTION,
        ("submission", "kind"),
        "A report came in through the public portal as portal report {target}",
    )
    PORTAL_MESSAGE_ADDED = (
        "portal.message_added",
        Verb.COLLECTION,
        ("submission", "kind"),
        "The reporter of portal report {target} added a message",
    )
    PORTAL_READ_BY_REPORTER = (
        "portal.read_by_reporter",
        Verb.DISCLOSURE,
        ("submission", "kind"),
        "The reporter of portal report {target} came back with their receipt code and read "
        "the conversation",
    )
    # The safeguarding team's side of the public portal (vigil.services.portal.triage). Never
    # a reporter's words or the team's passphrase: ids, outcomes in words, the officer's own.
    PORTAL_LISTED = (
        "portal.listed",
        Verb.CONSULTATION,
        ("face", "count"),
        "{actor} listed the portal's reports (what they are, not what they say)",
    )
    PORTAL_VIEWED = (
        "portal.viewed",
        Verb.CONSULTATION,
        ("face",),
        "{actor} looked at portal report {target} without opening it",
    )
    PORTAL_OPENED = (
        "portal.opened",
        Verb.CONSULTATION,
        ("face", "opened", "outcome"),
        "{actor} opened portal report {target}: {outcome}",
    )
    PORTAL_REPLIED = (
        "portal.replied",
        Verb.DISCLOSURE,
        ("message",),
        "{actor} replied to the reporter of portal report {target}",
    )
    PORTAL_CLOSED = (
        "portal.closed",
        Verb.ALTERATION,
        ("outcome",),
        "{actor} closed portal report {target}",
    )
    PORTAL_RECORDED_AS_CASE = (
        "portal.recorded_as_case",
        Verb.COMBINATION,
        ("case",),
        "{actor} recorded portal report {target} as case {case}",
    )
    PORTAL_MADE_RECORD = (
        "portal.made_record",
        Verb.COLLECTION,
        ("case", "kind", "restricted_to"),
        "{actor} made the record {case} ({kind}) from portal report {target}",
    )
    PORTAL_KEY_MADE = (
        "portal.key_made",
        Verb.ALTERATION,
        ("public_key", "replaced"),
        "{actor} made the safeguarding team's key for the portal (public key {public_key})",
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
        role = payload.get("role")  # a role in words: "reviewing officer"
        words = {"role": role.replace("_", " ")} if isinstance(role, str) else {}
        return self.sentence.format(actor=actor, target=target, **{**payload, **words})
