"""Pair evidence through the services (issue 11): what Barking had and Vigil must weigh.
Synthetic people only; places are invented points in east London."""

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.conftest import SYSTEM, T0, suspicious_report
from vigil import services
from vigil.domain import PersonEntry
from vigil.linkage.frequency import COMMON_HOLDERS
from vigil.records import models as m
from vigil.services.linkage.batchlink import link_store
from vigil.services.linkage.linking import scorer, stored_profile
from vigil.services.linkage.profiles import frequencies_for

HERE = (51.5386, 0.0811)
METRES_PER_DEGREE = 111_195.0


def _north(metres: float) -> tuple[float, float]:
    return HERE[0] + metres / METRES_PER_DEGREE, HERE[1]


def _death(officer, ref, days, where, name, **overrides):
    """A young man found dead; nothing on the scene but what ``overrides`` say."""
    values = {
        "found_at": T0 + timedelta(days=days),
        "reported_at": T0 + timedelta(days=days, minutes=20),
        "location__latitude": where[0],
        "location__longitude": where[1],
        "location__address": None,
        "deceased__name": name,
        "circumstances": None,
        "first_account": {},
        "scene": {},
    }
    report = suspicious_report(**{**values, **overrides})
    return services.open_case(officer, ref, report, known_at=T0 + timedelta(days=days))


def _link(a: str, b: str) -> m.CaseLink:
    return m.CaseLink.objects.get(case_a__reference=a, case_b__reference=b)


def _sentences(link: m.CaseLink) -> str:
    return " | ".join(r["sentence"] for r in link.reasons)


def test_two_ghb_deaths_13_m_and_23_days_apart_alert(officer, analyst):
    ghb = {"toxicology__status": "confirmed", "toxicology__substances": ["ghb"]}
    _death(officer, "B", 0, HERE, "Gabriel Testvictim", **ghb)
    _death(officer, "C", 23, _north(13), "Chris Testvictim", **ghb)
    link = _link("B", "C")
    assert hasattr(link, "alert") and link.match_weight >= scorer().alert_weight
    said = _sentences(link)
    assert "found 13 m apart" in said and "found 23 days apart" in said
    assert "GHB was found in both; it is found in 100% of deaths in the store (2 of 2)" in said


def test_the_same_caller_on_two_deaths_alerts(officer, analyst):
    _death(officer, "A", 0, HERE, "Alex Testvictim")
    _death(officer, "B", 60, _north(2000), "Gabriel Testvictim")
    for case, ref in (("A", "P-1"), ("B", "P-2")):
        services.record_person(
            officer,
            case,
            PersonEntry(
                ref=ref,
                name="Sam Testcaller",
                roles=["caller"],
                identifiers=[{"kind": "phone", "value": "07700 900461"}],
            ),
        )
    link = _link("A", "B")
    assert hasattr(link, "alert")
    said = _sentences(link)
    assert (
        "share phone +447700900461: caller (Sam Testcaller) on B, caller (Sam Testcaller) on A"
        in said
    )


def test_a_pair_weighs_the_same_whichever_case_was_saved_last(officer, analyst):
    ghb = {"toxicology__status": "confirmed", "toxicology__substances": ["ghb", "alcohol"]}
    _death(officer, "B", 0, HERE, "Gabriel Testvictim", **ghb)
    _death(officer, "C", 23, _north(13), "Chris Testvictim", **ghb)
    _death(officer, "X", 40, _north(30_000), "Kim Testvictim", toxicology__substances=["alcohol"])
    first = _link("B", "C").match_weight
    services.record_facts(  # B saved again, after C: the same facts, the same store
        officer,
        "B",
        suspicious_report(
            found_at=T0,
            reported_at=T0 + timedelta(minutes=20),
            location__latitude=HERE[0],
            location__longitude=HERE[1],
            location__address=None,
            deceased__name="Gabriel Testvictim",
            circumstances="Found on the path by a passer-by.",
            first_account={},
            scene={},
            **ghb,
        ),
    )
    assert _link("B", "C").match_weight == pytest.approx(first, abs=1e-9)
    link_store(SYSTEM)  # and the batch, which scores every pair at once
    assert _link("B", "C").match_weight == pytest.approx(first, abs=1e-9)


def test_the_deceased_home_is_the_callers_address_whichever_is_saved_first(officer, analyst):
    """A's caller gave an address; B's deceased lived there. B is saved first, so A finds it
    through the store's index of every identifier (the deceased's home included)."""
    _death(
        officer,
        "B",
        0,
        _north(8000),
        "Gabriel Testvictim",
        deceased__home_address="Flat 3, 14 Elm Rd, London E6 2AB",
    )
    _death(officer, "A", 300, HERE, "Alex Testvictim")
    services.record_person(
        officer,
        "A",
        PersonEntry(
            ref="P-C",
            name="Sam Testcaller",
            roles=["caller"],
            identifiers=[{"kind": "address", "value": "flat 3 14 elm road london e62ab"}],
        ),
    )
    said = _sentences(_link("A", "B"))
    assert (
        "share address FLAT 3 14 ELM ROAD LONDON E6 2AB: caller (Sam Testcaller) on A, home of "
        "the deceased (Gabriel Testvictim) on B"
    ) in said


def test_a_number_in_a_friends_statement_is_the_callers_phone(officer, analyst):
    _death(officer, "A", 0, HERE, "Alex Testvictim")
    services.record_person(
        officer,
        "A",
        PersonEntry(
            ref="P-C",
            name="Sam Testcaller",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    _death(officer, "B", 120, _north(40_000), "Gabriel Testvictim")
    services.record_person(
        officer,
        "B",
        PersonEntry(
            ref="P-F",
            name="Jo Testfriend",
            roles=["friend"],
            statement="He was meeting a man he knew as Jay; his number is 07700 900461.",
        ),
    )
    said = _sentences(_link("A", "B"))
    assert "written in the statement of Jo Testfriend on B" in said


def test_a_first_name_in_the_note_finds_the_deceased_it_names(officer, analyst):
    _death(officer, "B", 0, HERE, "Gabriel Testvictim")
    _death(
        officer,
        "C",
        23,
        _north(600),
        "Chris Testvictim",
        scene={"note_present": True, "note_description": "I am sorry. It was me and Gabriel."},
    )
    said = _sentences(_link("B", "C"))
    assert "the note on C names 'Gabriel'; the deceased (Gabriel Testvictim) on B" in said


def test_an_identifier_on_many_cases_is_an_institutions_and_is_not_weighed(officer, analyst):
    """A hostel's freephone on six deaths says nothing about two of them: the store's count of
    the cases holding it (not a share of the store) moves it out of the weighed identifiers,
    and the explanation names it as not weighed. The same number on two deaths is a link."""
    hostel = "0808 157 0999"
    for i in range(COMMON_HOLDERS):
        ref = f"H{i}"
        _death(officer, ref, 10 * i, _north(30_000 + 5_000 * i), f"Kim{i} Testvictim")
        services.record_person(
            officer,
            ref,
            PersonEntry(
                ref=f"P-H{i}",
                name=f"Duty{i} Testworker",
                roles=["caller"],
                identifiers=[{"kind": "phone", "value": hostel}],
            ),
        )
    h0, h1 = (stored_profile(m.Case.objects.get(reference=ref)) for ref in ("H0", "H1"))
    store = frequencies_for([h0.row, h1.row])
    (key,) = [k for k in h0.row["identifiers"] if k.startswith("orgphone:")]
    assert store.identifiers[key] == COMMON_HOLDERS
    (common,) = scorer().score_one(h0, [h1], store)
    (rare,) = scorer().score_one(h0, [h1], replace(store, identifiers={key: 2}))
    assert common.match_weight < rare.match_weight
    said = " | ".join(r["sentence"] for r in common.reasons)
    assert f"on {COMMON_HOLDERS} cases (an institution's: not weighed)" in said
    assert "not weighed" not in " | ".join(r["sentence"] for r in rare.reasons)
