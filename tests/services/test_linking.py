"""Two similar deaths in one small area, a phone shared across roles: linked at once, alerted
to a named analyst, explained in words, confirmed into a series."""

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import T0, ghb_death, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, PersonEntry
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge, series_of


def test_the_second_death_is_linked_alerted_and_explained(linked_pair, analyst):
    assert linked_pair.match_weight >= 10
    assert linked_pair.alert.analyst == "analyst1" and not linked_pair.alert.answered
    sentences = " ".join(r["sentence"] for r in linked_pair.reasons)
    assert "+447700900461" in sentences and "caller" in sentences and "friend" in sentences
    assert "GHB" in sentences
    assert "apart" in sentences
    assert linked_pair.model_version
    assert AuditEntry.objects.filter(event="case.linked", verb="combination").exists()


def test_an_unrelated_death_far_away_is_not_alerted(officer, analyst):
    ghb_death("L-1", 0, 51.5386, 0.0811, officer)
    services.open_case(
        officer,
        "FAR",
        DeathReport.model_validate(
            {
                "reported_at": T0 + timedelta(days=200),
                "found_at": T0 + timedelta(days=200),
                "location": {"latitude": 53.48, "longitude": -2.24, "place_type": "home"},
                "deceased": {"sex": "female", "age": 88, "known_illness": True},
            }
        ),
    )
    assert not m.Alert.objects.exists()


def test_new_facts_arriving_later_relink_the_case(officer, analyst):
    ghb_death("L-1", 0, 51.5386, 0.0811, officer)
    services.open_case(
        officer,
        "L-3",
        DeathReport.model_validate(
            {"reported_at": T0 + timedelta(days=30), "found_at": T0 + timedelta(days=30)}
        ),
    )
    assert not m.Alert.objects.exists()
    services.record_facts(
        officer,
        "L-3",
        suspicious_report(
            found_at=T0 + timedelta(days=30),
            location__latitude=51.5390,
            location__longitude=0.0820,
            toxicology__status="confirmed",
            toxicology__substances=["ghb"],
        ),
    )
    assert m.Alert.objects.filter(link__case_b__reference="L-3").exists()


def test_an_analyst_confirms_and_the_cases_form_a_series(linked_pair, analyst):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug, 300 m apart.")
    linked_pair.alert.refresh_from_db()
    assert linked_pair.alert.answered
    page = series_of(analyst, "L-2", face="test")
    assert [c.reference for c in page.cases] == ["L-1", "L-2"]  # timeline order
    assert len(page.points) == 2 and page.links[0].reasons
    row = AuditEntry.objects.get(event="link.judged")
    assert row.verb == "combination" and row.actor == "analyst1"


def test_judgements_are_append_only_and_the_latest_counts(linked_pair, analyst):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Looks linked.")
    judge(analyst, linked_pair.pk, Verdict.REJECT, "The phone was a shop's landline.")
    with pytest.raises(services.NotFound):
        series_of(analyst, "L-1", face="test")
    assert m.Judgement.objects.count() == 2
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_judgement")


def test_only_analysts_judge_and_always_with_a_reason(linked_pair, officer, analyst):
    with pytest.raises(services.Forbidden):
        judge(officer, linked_pair.pk, Verdict.CONFIRM, "I think so.")
    with pytest.raises(services.Invalid) as info:
        judge(analyst, linked_pair.pk, Verdict.UNSURE, " ")
    assert info.value.field == "reason"
    assert not m.Judgement.objects.exists()


def test_candidates_are_exactly_the_cases_the_blocking_rules_admit(officer):
    from vigil.linkage import blocking
    from vigil.services.linkage import linking
    from vigil.services.linkage.profiles import frequencies_for

    def named(name, **more):
        return {"deceased__name": name, **more}

    rare = ["ghb", "mephedrone"]  # mephedrone on two cases of six: rare for blocking
    ghb_death(
        "A", 0, 51.5386, 0.0811, officer, **named("Alex Testone", toxicology__substances=rare)
    )
    # B: 30 km, 400 days: a shared rare drug
    ghb_death(
        "B", 400, 51.8086, 0.0811, officer, **named("Bo Testtwo", toxicology__substances=rare)
    )
    ghb_death(
        "C", 1000, 51.5386, 0.0811, officer, **named("Cy Testthree")
    )  # the same spot, 5 years
    ghb_death("F", 2000, 51.5386, 0.0811, officer, **named("Fen Testsix"))  # the same spot, later
    for ref, days, lat, name in (
        ("D", 10, 51.5836, "Alex Testone"),  # 5 km, the same deceased name
        ("E", 200, 51.5476, "Eli Testfive"),  # 1 km
    ):
        services.open_case(
            officer,
            ref,
            suspicious_report(
                found_at=T0 + timedelta(days=days),
                reported_at=T0 + timedelta(days=days),
                location__latitude=lat,
                location__longitude=0.0811,
                deceased__name=name,
            ),
        )
    case = m.Case.objects.get(reference="A")
    rows = {c.reference: linking.stored_profile(c).row for c in m.Case.objects.all()}
    store = frequencies_for(rows.values())  # the scoring columns: rare substances
    row = store.annotate(rows["A"])
    got = {c.reference for c in linking.candidates(case, row)}
    admitted = {
        ref for ref, r in rows.items() if ref != "A" and blocking.admits(row, store.annotate(r))
    }
    assert got == admitted == {"B", "C", "D", "E"}  # D: the same deceased name, 5 km


def test_an_alert_on_a_restricted_case_goes_to_an_analyst_named_on_it(officer, sergeant):
    from tests.conftest import make_user
    from vigil.domain.enums import UserRole

    make_user("analyst1", UserRole.ANALYST)
    make_user("analyst2", UserRole.ANALYST)
    ghb_death("R-1", 0, 51.5386, 0.0811, officer)
    services.restrict_case(sergeant, "R-1", ["analyst2", "officer1"])
    ghb_death("R-2", 10, 51.5388, 0.0813, officer)
    alert = m.Alert.objects.get(link__case_a__reference="R-1")
    assert alert.analyst == "analyst2"  # analyst1 has fewer alerts but is not named
    ghb_death("O-1", 0, 52.5386, 0.0811, officer)
    ghb_death("O-2", 10, 52.5388, 0.0813, officer)
    assert m.Alert.objects.get(link__case_a__reference="O-1").analyst == "analyst1"


def test_a_shared_freephone_number_is_weighed_as_an_organisations(officer, analyst):
    """A hostel's freephone number on two deaths is keyed 'orgphone:' in both profiles, found
    as a candidate through the store's index of phone numbers, and explained as an
    organisation's number, weighing less than a person's phone would."""
    ghb_death("O-1", 0, 51.5386, 0.0811, officer)
    ghb_death("O-2", 21, 51.5395, 0.0840, officer)
    for ref, role in (("O-1", "caller"), ("O-2", "friend")):
        services.record_person(
            officer,
            ref,
            PersonEntry(
                ref=f"{ref}-P",
                name=f"Hostel Worker {ref[-1]}",
                roles=[role],
                identifiers=[{"kind": "phone", "value": "0800 123 4567"}],
            ),
        )
    case = m.Case.objects.get(reference="O-2")
    assert "orgphone:+448001234567" in case.profile["row"]["identifiers"]
    link = m.CaseLink.objects.get(case_a__reference="O-1", case_b__reference="O-2")
    assert "organisation's number +448001234567: friend (Hostel Worker 2)" in json.dumps(
        link.reasons
    )


def test_the_migration_rekeys_stored_profiles_and_back(officer):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("vigil.records.migrations.0007_organisation_numbers")
    ghb_death("O-3", 0, 51.5386, 0.0811, officer)
    case = m.Case.objects.get(reference="O-3")
    old = ["phone:+447700900461", "phone:+448001234567"]
    case.profile["row"]["identifiers"] = old
    case.profile["roles"] = {key: ["caller (Sam)"] for key in old}
    m.Case.objects.filter(pk=case.pk).update(profile=case.profile)

    migration.rekey_profiles(apps, None)
    profile = m.Case.objects.get(pk=case.pk).profile
    new = ["orgphone:+448001234567", "phone:+447700900461"]
    assert profile["row"]["identifiers"] == new
    assert sorted(profile["roles"]) == new

    migration.unkey_profiles(apps, None)
    profile = m.Case.objects.get(pk=case.pk).profile
    assert profile["row"]["identifiers"] == old
