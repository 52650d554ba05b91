"""Which deaths a retrospective review covers, as one reader may see them, and who may read a
review at all.

- ``PERMISSION``: defining, listing and reading reviews, re-linking their deaths and giving
  outcomes all need ``answer_alert``, which the role table gives the analyst and the reviewing
  officer: the two roles that judge what linkage finds, as a review of past deaths does (the
  design names retrospective reviews among the analyst's work). No new permission is needed.
- ``open_review``: the review, if the reader may read it. A review that selects by a sensitive
  field (recorded sexuality) is read only by a reader allowed sensitive fields. A member of
  the advisory panel reads a review the panel sits on (masked for their role, as every page).
- ``deaths``: the deaths matching a selection, among the cases the reader may see: a
  restricted case the reader is not named on is not listed and changes no count.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import RecordKind, UserRole
from vigil.domain.report import DeathReport
from vigil.domain.reviews import Selection
from vigil.policy.facts import age_at_death
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.errors import Invalid, NotFound
from vigil.services.readmodels.units import units_under

PERMISSION = Permission.ANSWER_ALERT
"""What defining, reading and working a review needs (the analyst, the reviewing officer)."""


def selection_of(review: m.Review) -> Selection:
    return Selection.model_validate(review.selection)


def open_review(actor: Actor, review_id: int, *, to_work: bool = False) -> m.Review:
    """The review, if ``actor`` may read it (``to_work``: re-link it or give outcomes, which
    the panel never does); ``Forbidden`` for a role that may not, ``NotFound`` for no review."""
    review = m.Review.objects.filter(pk=review_id).first()
    panel = actor.role is UserRole.PANEL_MEMBER and review is not None and review.panel_sits
    require(actor, Permission.VIEW_CASE if panel and not to_work else PERMISSION)
    if review is None:
        raise NotFound("review", f"there is no retrospective review {review_id}")
    if selection_of(review).sensitive:
        require(actor, Permission.SEE_SENSITIVE)
    return review


def _day_start(day: date) -> datetime:
    """Midnight starting ``day`` where the force is (the pages' time zone)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def unit_codes(code: str) -> list[str]:
    """The unit and every unit below it; Invalid naming the selection's field if none."""
    try:
        return units_under(code)
    except Invalid as exc:
        raise Invalid("selection.unit", exc.reason) from None


def _query(actor: Actor, s: Selection) -> Q:
    """The parts of the selection the database can decide (a box around a circle; an age
    recorded, or not recorded and so decided in ``_exact``)."""
    q = Q(kind=RecordKind.DEATH.value)
    if s.found_from:
        q &= Q(day__gte=_day_start(s.found_from))
    if s.found_to:
        q &= Q(day__lt=_day_start(s.found_to + timedelta(days=1)))
    if s.unit:
        q &= Q(unit__in=unit_codes(s.unit))
    if s.circle:
        dlat, dlon = s.circle.degrees()
        c = s.circle
        q &= Q(latitude__range=(c.latitude - dlat, c.latitude + dlat))
        q &= Q(longitude__range=(c.longitude - dlon, c.longitude + dlon))
    if s.substance:
        found = m.CaseSubstance.objects.filter(case=OuterRef("pk"), substance=s.substance)
        q &= Q(Exists(found))
    if s.place_type:
        q &= Q(place_type=s.place_type.value)
    if s.age_from is not None or s.age_to is not None:
        low, high = s.age_from or 0, 130 if s.age_to is None else s.age_to
        q &= Q(deceased_age__range=(low, high)) | Q(deceased_age__isnull=True)
    if s.sexuality:
        require(actor, Permission.SEE_SENSITIVE)
        q &= Q(state__deceased__sexuality__icontains=s.sexuality)
    return q


def _exact(case: m.Case, s: Selection) -> bool:
    """The parts the database could only narrow down: within the circle, and an age derived
    from the date of birth when none is recorded."""
    if s.circle and not s.circle.holds(case.latitude, case.longitude):
        return False
    if (s.age_from is not None or s.age_to is not None) and case.deceased_age is None:
        age = age_at_death(DeathReport.model_validate(case.state or {}))
        low, high = s.age_from or 0, 130 if s.age_to is None else s.age_to
        return age is not None and low <= age <= high
    return True


def deaths(actor: Actor, selection: Selection) -> list[m.Case]:
    """The deaths the selection covers that ``actor`` may see, in the order they were found."""
    query = (
        visible_cases(actor)
        .annotate(day=Coalesce("found_at", "reported_at"))
        .filter(_query(actor, selection))
        .order_by("day", "reference")
    )
    return [case for case in query if _exact(case, selection)]
