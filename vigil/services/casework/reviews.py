"""Retrospective reviews of past deaths (issue 14, item 5): how the Met's review of 58 GHB
deaths would be run in Vigil. Each use case is one transaction with its audit row.

- ``define_review``: a review as data (``vigil.domain.reviews.ReviewDefinition``); its deaths
  are re-evaluated and re-linked with today's policy and linkage at once (``relink_review``;
  up to ``RELINK_AT_MOST`` of them: a larger review is re-linked with the store).
- ``relink_review``: each death the reviewer may see is evaluated against today's policy pack
  (its stored floor and unmet items brought up to date) and linked against the store again
  (pairs and the cluster check), as saving it would.
- ``record_outcome``: a reviewer's outcome for one death, with a rationale; append-only, the
  latest in force. It does what it says through the paths that exist:
  * re-open: the death's category goes back to the reviewing officer. As an imported
    decision does, the review records a decision that is no sign-off (decided by
    ``review:<id>``), at least "unexpected, under investigation": the checklist applies in full
    again and the case waits in the review queue until a reviewing officer decides.
  * refer: a referral to the team named (``make_referral``), which someone must accept or
    decline like any other; it needs the right to make referrals.
  * link to a series: the stored link between the death and the other one named is confirmed
    (``judge``), which makes or joins a series and feeds it back to review. Where the linkage
    model stored no link between them, the outcome is recorded and says so.
- ``close_review``: no more outcomes.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission, allows
from vigil.domain.actor import Actor
from vigil.domain.enums import Category, UserRole
from vigil.domain.investigation import CategoryDecision, Referral
from vigil.domain.reviews import Outcome, ReviewDefinition, ReviewStatus, selection_problems
from vigil.records import models as m
from vigil.records.mapping import decision_row
from vigil.records.queries import load_view
from vigil.records.series import Verdict
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.casework.investigation import make_referral
from vigil.services.casework.unit import changing, finish, refresh, state_of
from vigil.services.clock import utcnow
from vigil.services.errors import Forbidden, Invalid, checked
from vigil.services.linkage.linking import relink
from vigil.services.linkage.series import judge, visible_links
from vigil.services.readmodels.review_selection import (
    PERMISSION,
    deaths,
    open_review,
    selection_of,
    unit_codes,
)
from vigil.services.readmodels.reviews import OutcomeShown

RELINK_AT_MOST = 300
"""The most deaths a review re-links at once, within one request (a larger selection is
re-linked with the store: ``vigil link``)."""

REOPENED_BY = "review:"
"""How ``decided_by`` begins on a decision a review's re-open records: ``review:<id>``."""


def _reviewers(definition: ReviewDefinition, actor: Actor) -> list[str]:
    """The reviewers named (the author if none): each an active user whose role may work a
    review; Invalid naming ``reviewers`` otherwise."""
    names = list(dict.fromkeys(definition.reviewers)) or [actor.username]
    roles = dict(
        m.Profile.objects.filter(user__username__in=names, user__is_active=True).values_list(
            "user__username", "role"
        )
    )
    for name in names:
        if name not in roles:
            raise Invalid("reviewers", f"there is no active Vigil user '{name}'")
        if not allows(UserRole(roles[name]), PERMISSION):
            role = UserRole(roles[name]).value.replace("_", " ")
            raise Invalid(
                "reviewers",
                f"'{name}' is a {role}, who may not work a review: name an analyst or a "
                "reviewing officer",
            )
    return names


def define_review(actor: Actor, definition: ReviewDefinition) -> int:
    """Record the review and re-link its deaths with today's linkage; its id. Selecting by
    recorded sexuality needs the right to see sensitive fields."""
    require(actor, PERMISSION)
    definition = checked(definition)
    selection = definition.selection
    for field, reason in selection_problems(selection):
        raise Invalid(field, reason)
    if selection.sensitive:
        require(actor, Permission.SEE_SENSITIVE)
    if selection.unit:
        unit_codes(selection.unit)
    reviewers = _reviewers(definition, actor)
    now = utcnow()
    with transaction.atomic():
        review = m.Review.objects.create(
            title=definition.title,
            selection=selection.model_dump(mode="json", exclude_none=True),
            reviewers=reviewers,
            panel_sits=definition.panel_sits,
            created_by=actor.username,
            created_at=now,
        )
        payload = {
            "title": review.title,
            "selection": review.selection,
            "reviewers": reviewers,
            "panel_sits": review.panel_sits,
        }
        audit.record(actor.username, Event.REVIEW_DEFINED, "review", str(review.pk), payload)
    if len(deaths(actor, selection)) <= RELINK_AT_MOST:
        relink_review(actor, review.pk)
    return int(review.pk)


def relink_review(actor: Actor, review_id: int) -> int:
    """Evaluate each death of the review the actor may see against today's policy and link it
    against the store again (each in its own transaction, as saving it would); how many."""
    review = open_review(actor, review_id, to_work=True)
    cases = deaths(actor, selection_of(review))
    if len(cases) > RELINK_AT_MOST:
        raise Invalid(
            "review",
            f"the review covers {len(cases)} deaths, more than the {RELINK_AT_MOST} re-linked at "
            "once: narrow it, or re-link the whole store (vigil link)",
        )
    for found in cases:
        with transaction.atomic():
            case = m.Case.objects.select_for_update().get(pk=found.pk)
            now = utcnow()
            refresh(case, now, bump=False)
            relink(case, load_view(case), actor, now)
    now = utcnow()
    with transaction.atomic():
        m.Review.objects.filter(pk=review.pk).update(relinked_at=now)
        payload = {"cases": [case.reference for case in cases]}
        audit.record(actor.username, Event.REVIEW_RELINKED, "review", str(review.pk), payload)
    return len(cases)


def _reopen(actor: Actor, review: m.Review, reference: str, rationale: str) -> str:
    """Put the death's category back to the reviewing officer (see the module's words)."""
    with changing(actor, PERMISSION, reference, None) as (case, now):
        evaluation = state_of(case, now).evaluation  # today's policy pack
        if evaluation is None:  # never: a review covers deaths only
            raise Invalid("reference", f"case {reference} is not a death")
        category = max(
            (evaluation.category, evaluation.floor, Category.UNEXPECTED_UNDER_INVESTIGATION),
            key=lambda c: c.rank,
        )
        note = (
            f"Re-opened by retrospective review {review.pk} ('{review.title}'), {actor.username}: "
        )
        tail = " A re-opened death is no sign-off: a reviewing officer decides its category."
        text = note + rationale[: limits.NOTE - len(note) - len(tail)] + tail
        decision = CategoryDecision(
            category=category,
            rationale=text,
            decided_by=f"{REOPENED_BY}{review.pk}",
            decided_at=now,
        )
        decision_row(case, decision).save()
        payload = {"review": review.pk, "category": category.value, "rationale": rationale}
        finish(case, actor, Event.CASE_REOPENED, payload, now)
    return (
        f"Category set to {category.label.lower()} until a reviewing officer decides it again: "
        "the case is back in the review queue."
    )


def _refer(actor: Actor, case: m.Case, team: str | None, rationale: str) -> str:
    if not team or not team.strip():
        raise Invalid("team", "say which team the death is referred to")
    taken = set(m.Referral.objects.filter(case=case).values_list("ref", flat=True))
    number = 1
    while f"R-{number}" in taken:
        number += 1
    ref = f"R-{number}"
    referral = Referral(
        ref=ref,
        to_team=team.strip(),
        made_at=utcnow(),
        made_by=actor.username,
        reason=f"Retrospective review: {rationale}"[: limits.NOTE],
    )
    make_referral(actor, case.reference, referral)
    return f"Referral {ref} made to {team.strip()}, for someone there to accept or decline."


def _link(actor: Actor, case: m.Case, other: str | None, rationale: str) -> str:
    if not other or not other.strip():
        return (
            "No other death was named, so no link was confirmed: the outcome is recorded "
            "for an analyst to confirm the series from its alerts."
        )
    there = visible_case(actor, other.strip())
    link = (
        visible_links(actor)
        .filter(Q(case_a=case, case_b=there) | Q(case_a=there, case_b=case))
        .first()
    )
    if link is None:
        return (
            f"The linkage model stored no link between {case.reference} and "
            f"{there.reference}, so none was confirmed: the outcome is recorded for an "
            "analyst to judge."
        )
    judge(actor, link.pk, Verdict.CONFIRM, f"Retrospective review: {rationale}"[: limits.NOTE])
    return f"The link between {case.reference} and {there.reference} is confirmed: a series."


def record_outcome(
    actor: Actor,
    review_id: int,
    reference: str,
    outcome: Outcome,
    rationale: str,
    *,
    team: str | None = None,
    link_to: str | None = None,
) -> OutcomeShown:
    """A reviewer's outcome for one death of the review, with a rationale (``team``: whom a
    referral goes to; ``link_to``: the other death of the series). Append-only and audited."""
    if not rationale or not rationale.strip():
        raise Invalid("rationale", "an outcome needs a rationale")
    if len(rationale) > limits.NOTE:
        raise Invalid("rationale", f"a rationale has at most {limits.NOTE} characters")
    review = open_review(actor, review_id, to_work=True)
    if review.status == ReviewStatus.CLOSED:
        raise Invalid("review", "the review is closed: it takes no more outcomes")
    if actor.username not in review.reviewers:
        named = ", ".join(review.reviewers)
        raise Forbidden(
            "reviewer", f"only the reviewers named on this review give outcomes ({named})"
        )
    if outcome is Outcome.REFER:
        require(actor, Permission.INVESTIGATE)  # making a referral, as anywhere else
    with use_case(actor):
        case = visible_case(actor, reference)
        if case.pk not in {c.pk for c in deaths(actor, selection_of(review))}:
            raise Invalid(
                "reference", f"case {reference} is not among the deaths this review covers"
            )
        if outcome is Outcome.REOPEN:
            detail = _reopen(actor, review, case.reference, rationale)
        elif outcome is Outcome.REFER:
            detail = _refer(actor, case, team, rationale)
        elif outcome is Outcome.LINK_TO_SERIES:
            detail = _link(actor, case, link_to, rationale)
        else:
            detail = "No further action."
        now = utcnow()
        m.ReviewOutcome.objects.create(
            review=review,
            case=case,
            outcome=outcome.value,
            rationale=rationale,
            detail=detail,
            by=actor.username,
            at=now,
        )
        payload = {
            "case": case.reference,
            "outcome": outcome.label,
            "rationale": rationale,
            "detail": detail,
        }
        audit.record(
            actor.username, Event.REVIEW_OUTCOME, "review", str(review.pk), payload, at=now
        )
    return OutcomeShown(
        outcome=outcome,
        label=outcome.label,
        rationale=rationale,
        detail=detail,
        by=actor.username,
        at=now,
    )


def close_review(actor: Actor, review_id: int) -> None:
    """Close the review (its author or a reviewer): it takes no more outcomes."""
    review = open_review(actor, review_id, to_work=True)
    if actor.username not in {review.created_by, *review.reviewers}:
        raise Forbidden("reviewer", "only the review's author or its reviewers may close it")
    with transaction.atomic():
        m.Review.objects.filter(pk=review.pk).update(status=ReviewStatus.CLOSED.value)
        payload = {"title": review.title}
        audit.record(actor.username, Event.REVIEW_CLOSED, "review", str(review.pk), payload)
