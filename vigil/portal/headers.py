"""What every portal page answers with, and what it refuses to read (``portal_page``).

- Its own Content-Security-Policy, stricter than the signed-in face's (django-csp's ``csp``
  decorator replaces the site's policy for these pages): nothing is allowed but Vigil's own
  style sheets, images and fonts, forms posting back to Vigil, no script at all, no framing.
  The portal works with JavaScript off because it has none.
- ``Referrer-Policy: no-referrer``: a link followed from the portal tells the next site
  nothing; ``Cache-Control: no-store``: no page (a receipt code, a reply) is kept in the
  browser's cache or history for someone else on the device to find.
- No cookie: the views are exempt from Django's CSRF check (which would set one); the service's
  form token protects each form instead.
- A body larger than ``MAX_BODY`` or of any type but a plain form is refused before it is read:
  nothing is ever spooled to a temporary file, and no file can be uploaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

POLICY: dict[str, Any] = {
    "default-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
}
MAX_BODY = 64 * 1024
"""Bytes a portal form may send: the longest report (every answer at its longest, each
character as several bytes once encoded) fits; anything bigger is refused unread."""
FORM_TYPE = "application/x-www-form-urlencoded"

View = Callable[..., HttpResponseBase]


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer to a post the portal will not read, or None if it may read it."""
    if request.method != "POST":
        return None
    if request.content_type != FORM_TYPE:
        return render(request, "portal/refused.html", {"too_big": False}, status=415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY:
        return render(request, "portal/refused.html", {"too_big": True}, status=413)
    return None


def portal_page(view: View) -> View:
    """A portal view with the portal's headers, no CSRF cookie, and GET and POST only."""
    allowed: View = require_http_methods(["GET", "POST"])(view)

    @wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = _refusal(request) or allowed(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)
        return response

    return csrf_exempt(csp(POLICY)(answered))
