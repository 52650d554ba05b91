"""Who must answer an alert: the analyst with the fewest unanswered alerts among those who may
see every case of it (``linkwriter`` for a pair, ``clusters`` for a cluster, ``rates`` for a
rate alert), and whom the linkage engine tells of a link they may not see (``notices``)."""

from __future__ import annotations

from django.db.models import Count

from vigil.domain.enums import UserRole
from vigil.records import models as m


def analyst_for_alert(*cases: m.Case) -> str:
    """The analyst with the fewest unanswered alerts (a named person must answer); reviewing
    officers when there is no analyst. When a case of the pair is restricted, only someone
    named on every restricted case of it may be chosen (need-to-know); with no such person the
    alert waits unassigned, visible to those named."""
    people = m.Profile.objects.filter(user__is_active=True)
    for case in cases:
        if case.restricted:
            people = people.filter(
                user__username__in=m.CaseAccess.objects.filter(case=case).values("username")
            )
    analysts: list[str] = []
    for role in (UserRole.ANALYST, UserRole.REVIEWING_OFFICER):
        analysts = list(
            people.filter(role=role)
            .values_list("user__username", flat=True)
            .order_by("user__username")
        )
        if analysts:
            break
    if not analysts:
        return ""
    load = dict(
        m.Alert.objects.filter(answered=False, analyst__in=analysts)
        .values_list("analyst")
        .annotate(n=Count("id"))
        .values_list("analyst", "n")
    )
    return min(analysts, key=lambda name: (load.get(name, 0), name))
