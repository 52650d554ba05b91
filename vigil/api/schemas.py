"""What the API reads: the request bodies. Facts, persons, liaison, exhibits, custody, actions
and referrals are the domain's own models (``vigil.domain``), so the API validates them exactly
as import and the pages do. What it answers is declared once, by the services: each operation's
response schema is the service's read model itself (``vigil.services.readmodels.shapes``)."""

from ninja import Field, Schema

from vigil.domain import limits
from vigil.domain.base import When
from vigil.domain.enums import ActionState, Category
from vigil.domain.report import DeathReport
from vigil.services import Verdict

# --- cases


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


class RestrictIn(Schema):
    names: list[str] = Field(default=[], description="Users to name besides yourself.")


class NameIn(Schema):
    username: str


# --- casework


class AnswerIn(Schema):
    answer: str


class MoveActionIn(Schema):
    state: ActionState
    owner: str | None = Field(default=None, description="Needed to allocate.")
    note: str | None = None
    result: str | None = None


class NoticeAnswerIn(Schema):
    result: str = Field(description="What the team holding the record said, or what you did.")


class ReferralAnswerIn(Schema):
    accept: bool
    reason: str


# --- linkage


class JudgementIn(Schema):
    verdict: Verdict
    reason: str
