"""What every page needs: the signed-in user's Actor, read from the database on each request
(so a revoked role or a deactivated account takes effect on the next request)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vigil import services
from vigil.domain.actor import Actor


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in user as an actor, read from the database once per request (so a role
    revoked or changed takes effect on the next request)."""
    cached: Actor | None = getattr(request, "_vigil_actor", None)
    if cached is not None:
        return cached
    try:
        actor = services.actor_for(request.user.get_username())
    except services.NotFound:
        raise PermissionDenied("This account has no Vigil role.") from None
    request._vigil_actor = actor  # type: ignore[attr-defined]
    return actor
