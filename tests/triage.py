"""Synthetic reports from the portal and a team key, for the triage tests (services, pages,
browser). No reporter is real: the answers are invented, the handle and phone are in Ofcom's
drama range.

Made straight in the store, as the portal's submit would leave them (sealed to the team's key
and to a reporter key), so that a test controls the day, the due time and the case named
without waiting for the portal's form tokens. The team key is made once per test run (age's
scrypt takes about a second) and installed per test in the test's own key files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime

from pyrage import passphrase as age_passphrase
from pyrage import x25519

from vigil.domain.receipts import new_receipt_code, normalise_receipt_code, receipt_lookup
from vigil.domain.sealing import TeamIdentity, new_team_identity, seal
from vigil.records import models as m
from vigil.services.portal import sealed

TEAM_PASSPHRASE = "kettle orchard lantern umbrella"
SECRET_WORDS = "zebracrossing-marker"  # in every report's account: never outside a sealed blob
ANSWERS = {
    "who": "me",
    "when": "A Saturday night in early June",
    "what_happened": f"He put something in my drink ({SECRET_WORDS}).",
    "handle": "@quietfox_test",
    "phone": "07700 900982",
    "contact": "no",
}


@functools.cache
def team_key() -> tuple[str, bytes]:
    """The team's public key and its identity protected by ``TEAM_PASSPHRASE``."""
    return new_team_identity(TEAM_PASSPHRASE)


def install_team_key(settings) -> str:
    """The team key written to this test's identity file and set as the portal's public key."""
    public, protected = team_key()
    settings.VIGIL.portal_identity_file.write_bytes(protected)
    settings.VIGIL = replace(settings.VIGIL, portal_public_key=public)
    return public


@dataclass(frozen=True)
class Reported:
    """A submission as a test needs it: the row, the reporter's identity (to read what was
    sealed to them) and their receipt code."""

    submission: m.Submission
    reporter: TeamIdentity
    code: str


def make_report(
    settings,
    *,
    kind: str = "drugging",
    answers: dict[str, str] | None = None,
    received_on: date = date(2026, 6, 6),
    answer_due: datetime | None = None,
    case_reference: str = "",
    status: str = "new",
    with_code: bool = False,
) -> Reported:
    """A submission sealed to the team's key and a new reporter key. ``with_code``: the
    reporter key is kept protected by a receipt code, as the portal keeps it (a second of
    scrypt), so that the portal's come back can open it."""
    team_public = settings.VIGIL.portal_public_key or install_team_key(settings)
    reporter = x25519.Identity.generate()
    code = new_receipt_code()
    protected = b""
    if with_code:
        text = f"# public key: {reporter.to_public()}\n{reporter}\n".encode()
        protected = age_passphrase.encrypt(text, normalise_receipt_code(code))
    body = sealed.report_plaintext(kind, answers if answers is not None else ANSWERS)
    submission = m.Submission.objects.create(
        receipt=receipt_lookup(code, settings.VIGIL.portal_pepper) if with_code else code,
        kind=kind,
        received_on=received_on,
        sealed=seal(body, [team_public, str(reporter.to_public())]),
        reporter_key=str(reporter.to_public()),
        reporter_identity=protected,
        case_reference=case_reference,
        status=status,
        answer_due=answer_due,
    )
    return Reported(submission, TeamIdentity(reporter), code)


def reporter_message(report: Reported, text: str, day: date = date(2026, 6, 7)) -> None:
    """A message from the reporter, sealed as the portal seals it."""
    keys = [team_key()[0], report.submission.reporter_key]
    m.PortalMessage.objects.create(
        submission=report.submission,
        author=m.PortalMessage.Author.REPORTER,
        sent_on=day,
        sealed=seal(sealed.message_plaintext(text), keys),
    )
