"""What the API reads and writes. Facts, persons, liaison, exhibits, custody, actions and
referrals are the domain's own models (``vigil.domain``), so the API validates them exactly as
import and the pages do; the rest are the API's envelopes."""

from datetime import date, datetime

from ninja import Field, Schema

from vigil.domain import limits
from vigil.domain.base import When
from vigil.domain.enums import ActionState, Category
from vigil.domain.investigation import Action, CategoryDecision, Exhibit, LiaisonEntry, Referral
from vigil.domain.report import DeathReport
from vigil.policy.result import Evaluation
from vigil.services.series import Verdict

# --- cases


class ReasonOut(Schema):
    feature: str
    weight: float
    sentence: str


class CaseRow(Schema):
    reference: str
    reported_at: datetime | None
    place_type: str
    deceased_name: str
    deceased_age: int | None
    category: str
    floor: str
    unmet: int
    version: int


class CasePage(Schema):
    total: int = Field(description="Cases the caller may see that match, on every page.")
    limit: int
    offset: int
    items: list[CaseRow]


class FactTime(Schema):
    known_at: datetime
    recorded_by: str


class IdentifierOut(Schema):
    kind: str
    value: str
    normalised: str


class PersonOut(Schema):
    ref: str
    name: str | None
    sex: str
    date_of_birth: date | None
    roles: list[str]
    identifiers: list[IdentifierOut]
    statement: str | None
    known_at: datetime | None


class MatchOut(Schema):
    field: str
    text: str


class HitOut(Schema):
    reference: str
    reported_at: datetime | None
    place_type: str
    deceased: str
    category: str
    matches: list[MatchOut] = Field(description="What matched, as you may see it.")


class SearchOut(Schema):
    query: str
    total: int
    offset: int
    limit: int
    hits: list[HitOut]


class CaseOut(Schema):
    """A case as the caller may see it (masked for their role), with its evaluation: the
    category, floor and unmet checklist items."""

    reference: str
    version: int
    report: DeathReport
    fact_times: dict[str, FactTime] = Field(description="When each fact became known, by path.")
    persons: list[PersonOut]
    liaison: list[LiaisonEntry]
    exhibits: list[Exhibit]
    actions: list[Action]
    referrals: list[Referral]
    decisions: list[CategoryDecision]
    evaluation: Evaluation


class OpenCaseIn(Schema):
    reference: str = Field(description=f"1 to {limits.REFERENCE} letters, digits and / _ . : -")
    known_at: When | None = Field(default=None, description="When these facts became known.")
    report: DeathReport = DeathReport()


class FactsIn(Schema):
    known_at: When | None = None
    report: DeathReport = Field(description="Only the fields given are recorded.")


class DecisionIn(Schema):
    category: Category
    rationale: str
    override_reason: str | None = Field(
        default=None, description="Needed, from a supervisor, to decide below the floor."
    )


class PreviewIn(Schema):
    reference: str | None = Field(
        default=None, description="An open case to lay the facts over; none for a new report."
    )
    report: DeathReport


class LinkedCaseOut(Schema):
    link: int
    reference: str
    match_weight: float
    probability: float
    reasons: list[ReasonOut]
    verdict: str = Field(description="The judgement in force: confirm, reject, unsure or ''.")
    alert: bool
    scored_at: datetime


class ResemblingOut(Schema):
    reference: str
    match_weight: float
    reasons: list[str]


class ResemblanceOut(Schema):
    cases: int = Field(
        description="Other cases you may see linked to this one at or above the alert threshold"
    )
    strongest: list[ResemblingOut]
    clusters: list[str] = Field(description="Each cluster of deaths this one falls in, in words")


class CaseSeriesOut(Schema):
    name: str = Field(description="The series' reference, its first case (GET /api/series/NAME)")
    others: list[str] = Field(
        description="The other cases of the series (a case you may not see is neither named nor "
        "counted)"
    )
    browsable: bool = Field(description="Whether you may open the series (you may see series)")
    reason: str = Field(description="In words, as the review queue gives it")


class LinksOut(Schema):
    total: int
    links: list[LinkedCaseOut]
    still_to_record: dict[str, str] = Field(
        description="What a finished report still needs (empty unless it is a draft)."
    )
    resemblance: ResemblanceOut = Field(
        description="What this death is like: shown to every reader of the case, masked"
    )
    series: CaseSeriesOut | None = Field(
        default=None,
        description="The confirmed series the case is in, as you may see it; null if none "
        "(derived from the judgements in force: a rejected link leaves no series behind)",
    )


class AccessOut(Schema):
    restricted: bool
    named: list[str]


class RestrictIn(Schema):
    names: list[str] = Field(default=[], description="Users to name besides yourself.")


class NameIn(Schema):
    username: str


# --- casework


class ConcernOut(Schema):
    id: int
    reference: str
    person_ref: str
    raised_at: datetime
    text: str
    answer: str
    answered_by: str
    answered_at: datetime | None


class AnswerIn(Schema):
    answer: str


class MoveActionIn(Schema):
    state: ActionState
    owner: str | None = Field(default=None, description="Needed to allocate.")
    note: str | None = None
    result: str | None = None


class ReferralAnswerIn(Schema):
    accept: bool
    reason: str


# --- work


class OverdueOut(Schema):
    reference: str
    rule_id: str
    title: str
    reason: str
    owner_role: str
    subject: str
    deadline: datetime


class ActionRowOut(Schema):
    reference: str
    ref: str
    title: str
    kind: str
    state: str
    deadline: datetime | None
    overdue: bool


class AlertRowOut(Schema):
    link: int
    a: str
    b: str
    match_weight: float
    raised_at: datetime


class ReferralRowOut(Schema):
    reference: str
    ref: str
    to_team: str
    made_at: datetime
    made_by: str
    reason: str


class ConcernRowOut(Schema):
    reference: str
    concern: int = Field(description="The id to answer it by.")
    text: str
    raised_at: datetime
    person: str


class DraftRowOut(Schema):
    reference: str
    opened_at: datetime
    missing: list[str]


class ActionSection(Schema):
    shown: bool = Field(description="Your role has a part in this section.")
    count: int
    rows: list[ActionRowOut]


class OverdueSection(Schema):
    shown: bool
    count: int
    rows: list[OverdueOut]


class AlertSection(Schema):
    shown: bool
    count: int
    rows: list[AlertRowOut]


class ReferralSection(Schema):
    shown: bool
    count: int
    rows: list[ReferralRowOut]


class ConcernSection(Schema):
    shown: bool
    count: int
    rows: list[ConcernRowOut]


class DraftSection(Schema):
    shown: bool
    count: int
    rows: list[DraftRowOut]


class DashboardOut(Schema):
    """Your work, each section with its full count and its first rows."""

    actions: ActionSection
    overdue: OverdueSection
    alerts: AlertSection
    referrals: ReferralSection
    concerns: ConcernSection
    drafts: DraftSection


class QueueRowOut(Schema):
    reference: str
    reported_at: datetime | None
    place_type: str
    category: str
    floor: str
    waiting: str
    overdue: int
    unmet: int
    next_deadline: datetime | None
    version: int


class QueuePage(Schema):
    total: int
    limit: int
    offset: int
    items: list[QueueRowOut]


class AlertOut(Schema):
    link: int
    a: str
    b: str
    match_weight: float
    analyst: str
    raised_at: datetime
    answered: bool
    reasons: list[str]


# --- linkage


class AlertStateOut(Schema):
    raised_at: datetime
    raised_weight: float
    analyst: str
    answered: bool


class JudgementOut(Schema):
    verdict: Verdict
    reason: str
    by: str
    at: datetime


class ComparisonOut(Schema):
    """Both cases of a link side by side, with the explanation of its score."""

    link: int
    match_weight: float
    probability: float
    model_version: str
    scored_at: datetime
    reasons: list[ReasonOut]
    alert: AlertStateOut | None
    judgements: list[JudgementOut]
    a: CaseOut
    b: CaseOut


class JudgementIn(Schema):
    verdict: Verdict
    reason: str


class SeriesSummary(Schema):
    name: str
    cases: list[str]


class SeriesCaseOut(Schema):
    reference: str
    found_at: datetime | None
    latitude: float | None
    longitude: float | None
    place_type: str
    deceased: str
    category: str


class PointOut(Schema):
    reference: str
    latitude: float
    longitude: float


class SeriesLinkOut(Schema):
    a: str
    b: str
    match_weight: float
    reasons: list[ReasonOut]


class SeriesOut(Schema):
    """A series: its cases in the order found (the timeline), their places (the map) and the
    confirmed links between them with their reasons (the link chart)."""

    name: str
    cases: list[SeriesCaseOut]
    points: list[PointOut]
    links: list[SeriesLinkOut]
