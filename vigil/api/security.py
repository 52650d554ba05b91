"""Who is calling, and may they: Django's session, past the second factor, with CSRF on unsafe
methods; then the operation's permission from the role table.

Each operation declares its permission once, with ``needs(Permission.X)``: that sets the
operation's authentication (``Needs``) and names the permission in the OpenAPI document
(``x-vigil-permission``). The services check it again, and the need-to-know filter, themselves.
"""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from vigil import services
from vigil.api.problems import CsrfFailed, Refused
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services import Forbidden, Invalid, require

PERMISSION_KEY = "x-vigil-permission"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def verified(request: HttpRequest) -> bool:
    """Signed in, and the session verified with the second factor (django-otp)."""
    check = getattr(request.user, "is_verified", None)
    return bool(request.user.is_authenticated and check is not None and check())


def _nul_in(value: Any, path: str = "") -> str | None:
    """The dotted path of the first text holding a NUL character (which no store keeps)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        found = _nul_in(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def refuse_nul(request: HttpRequest) -> None:
    """``Invalid`` for a NUL character in the path, the query or a JSON body's texts."""
    if "\x00" in request.path:
        raise Invalid("path", "must not contain the NUL character")
    for key, values in request.GET.lists():
        if _nul_in([key, *values]) is not None:
            raise Invalid(key.replace("\x00", ""), "must not contain the NUL character")
    if request.body and b"\\u0000" in request.body.lower():
        try:
            data = json.loads(request.body)
        except ValueError:
            return  # Ninja refuses it as unparseable
        field = _nul_in(data)
        if field is not None:
            raise Invalid(field, "must not contain the NUL character")


class Needs(APIKeyCookie):
    """Session authentication that requires a verified second factor and ``permission``.

    Not signed in or not verified: 401. Unsafe method without a valid CSRF token: 403.
    Role without the permission: 403 naming it. The actor is ``request.auth``."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, permission: Permission) -> None:
        self.permission = permission
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not verified(request):
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        try:
            actor = services.actor_for(request.user.get_username())
        except services.NotFound:
            raise Forbidden("role", "this account has no Vigil role") from None
        refuse_nul(request)
        try:
            require(actor, self.permission)
        except Forbidden as exc:
            raise Refused(self.permission, exc.reason) from None
        return actor

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        return self(request)


def needs(permission: Permission, example: Any = None) -> dict[str, Any]:
    """The keyword arguments that make an operation need ``permission`` (and document an
    example of its request body)."""
    extra: dict[str, Any] = {PERMISSION_KEY: permission.value}
    if example is not None:
        extra["requestBody"] = {"content": {"application/json": {"example": example}}}
    return {"auth": Needs(permission), "openapi_extra": extra}


def actor(request: HttpRequest) -> Actor:
    """The caller, as ``Needs`` authenticated them."""
    found = getattr(request, "auth", None)
    if not isinstance(found, Actor):
        raise Forbidden("role", "this account has no Vigil role")
    return found
