"""What the portal seals, in one format that the reporter's side and the team's side both read.

A report is sealed as JSON, ``{"format": 1, "kind": "...", "answers": {"question": "text"}}``
(the answers the reporter gave, as ``vigil.services.portal.answers`` checked them); a message,
either way, is sealed as its text in UTF-8. Both are sealed (``vigil.domain.sealing``) to two
keys: the safeguarding team's public key (``settings.VIGIL.portal_public_key``) and the
submission's own reporter key (``Submission.reporter_key``), so that the team can read them with
its identity and the reporter with their receipt code, and nobody else can.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from vigil.domain import sealing

REPORT_FORMAT = 1


class NotSetUp(Exception):
    """The portal has no team key yet (`vigil portal keys` has not been run)."""


@dataclass(frozen=True, slots=True)
class Report:
    """A report as it was sealed: its kind and the reporter's answers by question."""

    kind: str
    answers: Mapping[str, str]


def team_key() -> str:
    """The team's public key; NotSetUp while there is none."""
    key = settings.VIGIL.portal_public_key
    if not key:
        raise NotSetUp("the portal has no team key")
    return str(key)


def seal_for(reporter_key: str, plaintext: bytes) -> bytes:
    """``plaintext`` sealed to the team's key and to the submission's reporter key."""
    return sealing.seal(plaintext, [team_key(), reporter_key])


def report_plaintext(kind: str, answers: Mapping[str, str]) -> bytes:
    """The bytes a report is sealed as."""
    body = {"format": REPORT_FORMAT, "kind": kind, "answers": dict(answers)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def read_report(plaintext: bytes) -> Report:
    """A report from the bytes it was sealed as; ValueError if they are not one."""
    body = json.loads(plaintext.decode("utf-8"))
    if not isinstance(body, dict) or body.get("format") != REPORT_FORMAT:
        raise ValueError("not a sealed portal report of a known format")
    answers = body.get("answers")
    if not isinstance(answers, dict):
        raise ValueError("a sealed portal report without answers")
    return Report(str(body.get("kind", "")), {str(k): str(v) for k, v in answers.items()})


def message_plaintext(text: str) -> bytes:
    """The bytes a message is sealed as."""
    return text.encode("utf-8")


def read_message(plaintext: bytes) -> str:
    """A message's text from the bytes it was sealed as."""
    return plaintext.decode("utf-8")
