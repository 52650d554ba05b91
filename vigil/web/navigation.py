"""A template context processor: what the signed-in user's role may do, for the navigation
("New report" and "Review" show only to roles that may use them). Read from the database, once
per request and only if a template asks, like every page's actor (``common.actor_of``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vigil.domain.access import Permission, permissions_of
from vigil.web.common import actor_of


def permissions(request: HttpRequest) -> dict[str, object]:
    def allowed() -> frozenset[Permission]:
        if not request.user.is_authenticated:
            return frozenset()
        try:
            return permissions_of(actor_of(request).role)
        except PermissionDenied:  # an account with no Vigil role
            return frozenset()

    return {"vigil_permissions": SimpleLazyObject(allowed)}
