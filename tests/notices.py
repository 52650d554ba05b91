"""A death linked to a record only the safeguarding team may see, for the tests of the notice
its analyst is given (``vigil.services.linkage.notices``) through every face. Synthetic: the
people, handle and numbers are invented, phones in Ofcom's drama range.

The death D-1 holds a friend's statement naming the handle and number that a survivor's
report, made into the drugging report ``RECORD`` by the safeguarding team, gives for the man
reported. Every other fact of that report is a marker (``MARKERS``) that nobody outside the
team may read anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import T0, make_user, suspicious_report
from tests.triage import ANSWERS, SECRET_WORDS, TEAM_PASSPHRASE, install_team_key, make_report
from vigil import services
from vigil.domain import PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.portal.records import RecordSpec

RECORD = "SGX-7731"
REPORT = {
    **ANSWERS,
    "where": "The back room of the Quincemarker bar",
    "substances": "quincemarkerine",
    "met_how": "At the Quincemarker club night",
    "app": "Quincemarkerapp",
    "name_used": "Marlowe Quince",
    "address": "99 Quincemarker Road, Barking IG11 7QX",
    "description": "A quincemarker tattoo on his wrist.",
}
MARKERS = (RECORD, SECRET_WORDS, "uincemarker", "Marlowe", "IG11 7QX")
"""The record's reference and its facts: none may reach anyone outside the team."""
TEAM_WORDS = (
    "A record held by the safeguarding team is linked to this death by the linkage engine; "
    "ask the safeguarding team what may be shared (named on it: safeguarding1)."
)


@dataclass(frozen=True)
class Linked:
    """The store once the record is made: the alert on the link and the notice's ref."""

    alert: m.Alert
    notice: str


def open_death(officer, reference: str = "D-1", **overrides) -> None:
    """A death whose friend's statement names the man the report describes."""
    services.open_case(officer, reference, suspicious_report(**overrides), known_at=T0)
    statement = "He went to meet a man he knew as @quietfox_test; his number was 07700 900982."
    friend = PersonEntry(ref="P-F", name="Robin Testfriend", roles=["friend"], statement=statement)
    services.record_person(officer, reference, friend)


def make_team_record(settings, reference: str = RECORD):
    """The survivor's report made into a drugging report by safeguarding1 (made if need be)."""
    install_team_key(settings)
    if not services.user_exists("safeguarding1"):
        make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)
    officer = services.actor_for("safeguarding1")
    submission = make_report(settings, answers=REPORT).submission.pk
    spec = RecordSpec("drugging", reference)
    services.make_record_from_report(officer, submission, TEAM_PASSPHRASE, spec, face="web")
    return officer


def linked(settings, *, death: str = "D-1") -> Linked:
    """D-1 (opened by sergeant1, who must exist) and the team's record, linked with an alert."""
    open_death(services.actor_for("sergeant1"), death)
    make_team_record(settings)
    alert = m.Alert.objects.get(link__case_a__reference=death, link__case_b__reference=RECORD)
    return Linked(alert, f"RL-{alert.pk}")


def leaked(text: str) -> list[str]:
    """The markers of the team's record found in ``text``."""
    return [marker for marker in MARKERS if marker.lower() in text.lower()]
