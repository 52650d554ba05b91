"""A logging filter that keeps the portal's requests out of Django's logs.

Django hands the request to its log handlers with every error and refusal it logs
(``django.request``, ``django.security``): the e-mail sent to the administrators lists the
request's headers and address, and a handler of an operator's own could write them anywhere.
``ForgetPortalRequests`` sits on every handler (``LOGGING`` in the settings) and takes the
request off a record about a portal page, so that the record keeps what went wrong and the path,
and nothing about who asked. It only removes; it never drops a record, so a failure of the
portal is still logged.
"""

from __future__ import annotations

import logging

from vigil.portal import PREFIX


def _portal(record: logging.LogRecord) -> bool:
    """Whether ``record`` is about a request for a portal page."""
    path = getattr(getattr(record, "request", None), "path", None)
    if isinstance(path, str):
        return path.startswith(PREFIX)
    # The development server logs each request line ("GET /report/ HTTP/1.1") with the socket.
    return any(isinstance(arg, str) and f" {PREFIX}" in arg for arg in _args(record))


def _args(record: logging.LogRecord) -> tuple[object, ...]:
    args = record.args
    if isinstance(args, tuple):
        return args
    return () if args is None else (args,)


class ForgetPortalRequests(logging.Filter):
    """Removes the request (its address, browser and referrer) from a record about a portal
    page; keeps the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _portal(record):
            record.__dict__.pop("request", None)
        return True
