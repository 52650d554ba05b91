"""Headers on every answer beyond Django's own (settings.MIDDLEWARE places this).

``NoStore``: every page and API answer carries case data, or could, so none is kept in a
browser's cache, its back-button history or a proxy (Django's ``never_cache`` headers:
``Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private``). Static files are
answered by WhiteNoise before this runs and keep their own caching.

The Content-Security-Policy is django-csp's (``CONTENT_SECURITY_POLICY`` in the settings);
HSTS is Django's ``SecurityMiddleware`` (``VIGIL_HSTS_SECONDS``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStore:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
