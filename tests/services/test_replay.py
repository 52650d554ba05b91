"""A series of deaths in one small area with shared identifiers, replayed among background
deaths, is alerted at its second case, with explanations that name the shared facts."""

from datetime import timedelta

import pytest

from tests.conftest import SYSTEM, T0, suspicious_report
from vigil import services
from vigil.demo.generate import generate
from vigil.domain import PersonEntry
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.services.linkage.replay import replay

PHONE = "07700 900123"
SPOTS = [(51.5386, 0.0811), (51.5399, 0.0832), (51.5371, 0.0790), (51.5390, 0.0850)]


def planted(index: int) -> CaseRecord:
    days = [0, 24, 61, 95][index]
    lat, lon = SPOTS[index]
    when = T0 + timedelta(days=days)
    persons = [PersonEntry(ref=f"P-V{index}", name=f"Victim{index} Testperson", roles=["deceased"])]
    # the same phone turns up as the caller on one death and a friend or host on the others
    role = ["caller", "friend", "host", "witness"][index]
    persons.append(
        PersonEntry(
            ref=f"P-X{index}",
            name=f"Contact{index} Testperson",
            roles=[role],
            identifiers=[{"kind": "phone", "value": PHONE}],
        )
    )
    report = suspicious_report(
        found_at=when,
        reported_at=when + timedelta(minutes=15),
        location__latitude=lat,
        location__longitude=lon,
    )
    later = {
        "known_at": when + timedelta(days=40),
        "recorded_by": "lab",
        "report": {"toxicology": {"status": "confirmed", "substances": ["ghb"]}},
    }
    return CaseRecord.model_validate(
        {
            "reference": f"SER-{index + 1}",
            "known_at": when,
            "series": "churchyard",
            "report": report.model_dump(mode="json", exclude_unset=True),
            "persons": [p.model_dump(mode="json") for p in persons],
            "updates": [later],
        }
    )


@pytest.mark.slow
def test_a_planted_series_is_alerted_at_its_second_case_and_nothing_is_stored(db):
    background = [
        r.model_copy(update={"decisions": (), "series": None}) for r in generate(150, seed=21)
    ]
    records = sorted([*background, *(planted(i) for i in range(4))], key=lambda r: r.known_at or T0)
    report = replay(SYSTEM, records)
    series = report["series"]["churchyard"]
    assert series["first_alert_case"] == "SER-2"
    assert series["first_alert_kind"] == "pair"
    assert series["days_from_start"] == pytest.approx(24, abs=1)
    assert series["joined"] and series["joined_date"]
    # The demo background holds look-alike deaths of its own (unlabelled here): counted, per kind.
    assert report["false_alerts_per_100"] == pytest.approx(
        report["false_pair_alerts_per_100"] + report["false_cluster_alerts_per_100"], abs=0.02
    )
    assert report["events"] > len(records)  # persons and updates are versions of their own
    assert not m.Case.objects.exists() and not m.CaseLink.objects.exists()


def test_replay_needs_the_import_permission(officer):
    with pytest.raises(services.Forbidden):
        replay(officer, [planted(0)])
