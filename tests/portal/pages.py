"""Helpers for the portal's page tests: what every portal answer must carry, and posting the
portal's forms as a browser would (with a form token old enough to be accepted)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from tests.portal.setup import report_token, token

POLICY = {
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
}
"""The portal's Content-Security-Policy, directive by directive (and nothing else)."""

DRUGGING = {
    "who": "me",
    "when": "last Friday",
    "what_happened": "I woke up in a stranger's flat with no memory of the night.",
    "handle": "quietheron42",
    "contact": "no",
}


def header_problems(response: Any) -> list[str]:
    """What is wrong with a portal answer's headers (empty when nothing is)."""
    problems = []
    policy = {part.strip() for part in response.get("Content-Security-Policy", "").split(";")}
    if policy != POLICY:
        problems.append(f"Content-Security-Policy is {response.get('Content-Security-Policy')!r}")
    if response.get("Referrer-Policy") != "no-referrer":
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}")
    if response.cookies:
        problems.append(f"it sets cookies {sorted(response.cookies)}")
    return problems


FORM = "application/x-www-form-urlencoded"


def post_form(client: Client, path: str, data: dict[str, str], **extra: Any):
    """POST ``data`` as a browser posts a form (not as a multipart upload)."""
    return client.post(path, urlencode(data), content_type=FORM, **extra)


def post_report(client: Client, answers: dict[str, str], kind: str = "drugging", **extra: Any):
    """Send a report through /report/done/ as its page would."""
    data = {**answers, "kind": kind, "token": report_token(kind)}
    return post_form(client, "/report/done/", data, **extra)


def post_code(client: Client, code: str, **extra: Any):
    return post_form(client, "/report/return/", {"code": code, "action": "read"}, **extra)


def post_message(client: Client, code: str, text: str, **extra: Any):
    data = {"code": code, "text": text, "token": token("message"), "action": "message"}
    return post_form(client, "/report/return/", data, **extra)


CODE = re.compile(r'<strong id="receipt-code">([a-z ]+)</strong>')


def receipt_code(response: Any) -> str:
    """The receipt code on the page that shows it."""
    found = CODE.search(response.content.decode())
    assert found, "the page shows no receipt code"
    return found.group(1)
