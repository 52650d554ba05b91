"""What a retrospective review shows: the reviews, and for one review each death it covers with
what the checklist would say of it today, what today's linkage finds it is like, and the
outcome the review has given it.

"Today" is the policy pack in use now (``current_pack``) and the links as they stand after the
review's last re-link (``vigil.services.casework.reviews.relink_review``, run when the review
is defined and again on request). Everything is masked for the reader, as the case page is;
only deaths the reader may see are listed or counted (``review_selection.deaths``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from pydantic import Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category
from vigil.domain.reviews import Outcome, describe
from vigil.policy.wording import vocabulary
from vigil.records import models as m
from vigil.services.access.rules import may, require
from vigil.services.casework.policy import current_pack
from vigil.services.casework.unit import shown, state_of
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.linkage.resemblance import Resemblance, resemblance
from vigil.services.readmodels.review_selection import (
    PERMISSION,
    deaths,
    open_review,
    selection_of,
)
from vigil.services.readmodels.shapes import ReadModel


class ReviewSummary(ReadModel):
    """A review as its list shows it; ``deaths`` counts those the reader may see."""

    id: int
    title: str
    selection: list[str] = Field(description="Which deaths it covers, in words.")
    reviewers: list[str]
    panel_sits: bool
    created_by: str
    created_at: datetime
    status: str
    relinked_at: datetime | None
    deaths: int
    outcomes: int = Field(description="Deaths among them with an outcome in force.")


class ItemNeverDone(ReadModel):
    """A checklist item today's policy finds unmet on the death."""

    title: str
    reason: str
    owner: str = Field(description="Whose item it is, in words.")
    overdue: bool


class OutcomeShown(ReadModel):
    """An outcome given to a death in a review (the latest is the one in force)."""

    outcome: Outcome
    label: str
    rationale: str
    detail: str = Field(description="What was done: the referral made, the link confirmed...")
    by: str
    at: datetime


class ReviewDeath(ReadModel):
    """One death of a review as the reader may see it, under today's policy and linkage."""

    reference: str
    found_on: date | None
    place: str = Field(description="The kind of place, in words ('' if not recorded).")
    age: int | None
    sex: str
    category: str = Field(description="The category in force, in words.")
    floor: str = Field(description="The floor today's policy sets, in words.")
    needs_override: bool = Field(description="Below today's floor without an override.")
    never_done: tuple[ItemNeverDone, ...]
    like: Resemblance
    outcome: OutcomeShown | None
    earlier: tuple[OutcomeShown, ...] = Field(description="Outcomes it superseded, oldest first.")


class ReviewPage(ReadModel):
    """A review and its deaths; ``may_work``: the reader may re-link it and give outcomes."""

    review: ReviewSummary
    policy: str = Field(description="The policy pack applied: name@version.")
    evaluated_at: datetime
    deaths: tuple[ReviewDeath, ...]
    may_work: bool


def outcomes_by_case(review: m.Review) -> dict[int, list[OutcomeShown]]:
    """Every outcome of the review by case id, oldest first (the last is in force)."""
    out: dict[int, list[OutcomeShown]] = {}
    for row in review.outcomes.order_by("at", "id"):
        choice = Outcome(row.outcome)
        shown_row = OutcomeShown(
            outcome=choice,
            label=choice.label,
            rationale=row.rationale,
            detail=row.detail,
            by=row.by,
            at=row.at,
        )
        out.setdefault(row.case_id, []).append(shown_row)
    return out


def summary(actor: Actor, review: m.Review, cases: Iterable[m.Case] | None = None) -> ReviewSummary:
    """The review as ``actor`` may see it (``cases``: its deaths, if read already)."""
    seen = list(cases) if cases is not None else deaths(actor, selection_of(review))
    given = outcomes_by_case(review)
    return ReviewSummary(
        id=review.pk,
        title=review.title,
        selection=describe(selection_of(review)),
        reviewers=list(review.reviewers),
        panel_sits=review.panel_sits,
        created_by=review.created_by,
        created_at=review.created_at,
        status=review.status,
        relinked_at=review.relinked_at,
        deaths=len(seen),
        outcomes=sum(1 for case in seen if case.pk in given),
    )


def list_reviews(actor: Actor, *, face: str) -> list[ReviewSummary]:
    """Every review, newest first, counted as the reader may see them; a review selecting by
    a sensitive field only for a reader allowed sensitive fields. Audited as a consultation."""
    require(actor, PERMISSION)
    sensitive = may(actor, Permission.SEE_SENSITIVE)
    rows = [
        summary(actor, review)
        for review in m.Review.objects.all()
        if sensitive or not selection_of(review).sensitive
    ]
    with transaction.atomic():
        payload = {"face": face, "count": len(rows)}
        audit.record(actor.username, Event.REVIEWS_LISTED, "review", "*", payload)
    return rows


def _death(actor: Actor, case: m.Case, now: datetime, given: list[OutcomeShown]) -> ReviewDeath:
    evaluation = shown(actor, case, state_of(case, now)).evaluation
    if evaluation is None:  # never: a review covers deaths only (review_selection.deaths)
        raise Invalid("reference", f"case {case.reference} is not a death")
    report_day = case.found_at or case.reported_at
    return ReviewDeath(
        reference=case.reference,
        found_on=report_day.date() if report_day else None,
        place=vocabulary(case.place_type) if case.place_type else "",
        age=case.deceased_age,
        sex=case.deceased_sex or "unknown",
        category=Category(evaluation.category).label,
        floor=Category(evaluation.floor).label,
        needs_override=evaluation.needs_override,
        never_done=tuple(
            ItemNeverDone(
                title=item.title,
                reason=item.reason,
                owner=vocabulary(item.owner_role),
                overdue=item.overdue,
            )
            for item in evaluation.unmet
        ),
        like=resemblance(actor, case),
        outcome=given[-1] if given else None,
        earlier=tuple(given[:-1]),
    )


def review_page(actor: Actor, review_id: int, *, face: str) -> ReviewPage:
    """The review and each of its deaths the reader may see, evaluated against today's policy
    pack; audited as a consultation of the review and of each death read."""
    review = open_review(actor, review_id)
    now = utcnow()
    cases = deaths(actor, selection_of(review))
    given = outcomes_by_case(review)
    shown_deaths = tuple(_death(actor, case, now, given.get(case.pk, [])) for case in cases)
    pack = current_pack()
    # One consultation of the review, and one of each death read (so that the audit trail of
    # a case shows who read it through a review, as through its own page).
    read = {"face": face, "cases": [case.reference for case in cases]}
    entries = [audit.Entry(actor.username, Event.REVIEW_READ, "review", str(review.pk), read, now)]
    entries += [
        audit.Entry(
            actor.username,
            Event.CASE_VIEWED,
            "case",
            case.reference,
            {"face": face, "review": review.pk},
            now,
        )
        for case in cases
    ]
    with transaction.atomic():
        audit.record_many(entries)
    return ReviewPage(
        review=summary(actor, review, cases),
        policy=f"{pack.name}@{pack.version}",
        evaluated_at=now,
        deaths=shown_deaths,
        may_work=may(actor, PERMISSION) and actor.username in review.reviewers,
    )
