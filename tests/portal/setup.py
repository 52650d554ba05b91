"""The portal set up for a test: a team key (made once per run: sealing is slow on purpose), a
pepper, and form tokens as old as a test needs. Synthetic reporters only."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import timedelta
from typing import Any
from unittest import mock

from vigil.domain import sealing
from vigil.services.clock import utcnow
from vigil.services.portal import submissions

TEAM_PASSPHRASE = "a synthetic team passphrase for tests"
PEPPER = b"a synthetic pepper of the portal, 32b"


@functools.cache
def team_key() -> tuple[str, bytes]:
    """The team's public key and its protected identity (made once: about a second)."""
    return sealing.new_team_identity(TEAM_PASSPHRASE)


def team_identity() -> sealing.TeamIdentity:
    return sealing.unlock_identity(team_key()[1], TEAM_PASSPHRASE)


def set_up_portal(settings: Any, **changes: Any) -> None:
    """The portal ready to take reports: the team's public key, a pepper, and ``changes``."""
    values = {"portal_public_key": team_key()[0], "portal_pepper": PEPPER, **changes}
    settings.VIGIL = replace(settings.VIGIL, **values)


def token(purpose: str, age: timedelta = timedelta(minutes=5)) -> str:
    """A form token for ``purpose`` as if its form had been shown ``age`` ago."""
    with mock.patch.object(submissions, "utcnow", return_value=utcnow() - age):
        return submissions.portal_form_token(purpose)


def report_token(kind: str = "drugging", age: timedelta = timedelta(minutes=5)) -> str:
    return token(f"report:{kind}", age)
