"""ETags of a case, and the preconditions on reading and writing it.

A case's ETag is ``"<version>-<digest>"``: its version, then a digest of the representation the
reader was given (masked for their role; the moment of evaluation left out, so the same case
read twice gives the same tag). ``If-None-Match`` with it gives 304. A write must send it in
``If-Match``: without one, 428; the version is what the service checks (``StaleVersion``), so
a tag from before someone else's change gives 412 and nothing changes.
"""

import hashlib
import re

from django.http import HttpRequest

from vigil.api.problems import PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'^"(\d{1,18})-[0-9a-f]{16}"$')


def etag(version: int, representation: bytes) -> str:
    return f'"{version}-{hashlib.sha256(representation).hexdigest()[:16]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def not_modified(request: HttpRequest, tag: str) -> bool:
    """``If-None-Match`` names ``tag`` (or ``*``): the reader's copy is current."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = _tags(header)
    return "*" in tags or tag in tags or f"W/{tag}" in tags


def expected_version(if_match: str | None) -> int:
    """The case version an ``If-Match`` header promises: 428 without one (or with ``*``),
    412 if it is not a tag this API gives."""
    tags = _tags(if_match or "")
    if not tags or tags == ["*"]:
        raise PreconditionRequired()
    for tag in tags:
        found = _TAG.match(tag)
        if found:
            return int(found.group(1))
    raise PreconditionFailed()
