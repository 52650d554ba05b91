"""Full-text search: what it finds, what it never finds (need-to-know, masking), its audit, and
the index kept in sync by every writer. The cases are synthetic (tests/conftest.py factories)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, PersonEntry, UserRole
from vigil.interchange.record import CaseRecord
from vigil.services.readmodels.search import VECTORS, matching, parse, search_cases


def found(actor, text):
    return [hit.reference for hit in search_cases(actor, text, face="test").hits]


@pytest.fixture
def cases(officer):
    """S-1: Alex Testperson in a churchyard, caller Caller One on 07700 900461; S-2: Pat
    Oldperson at home, nobody else."""
    services.open_case(officer, "S-1", suspicious_report(), known_at=T0)
    services.record_person(
        officer,
        "S-1",
        PersonEntry(
            ref="P-C",
            name="Caller One",
            roles=["caller"],
            identifiers=[
                {"kind": "phone", "value": "07700 900461"},
                {"kind": "email", "value": "caller.one@example.com"},
            ],
        ),
    )
    services.open_case(
        officer,
        "S-2",
        suspicious_report(
            deceased__name="Pat Oldperson",
            location__address="4 Oak Close, London E6 1AA",
            location__place_type="home",
            circumstances="Found at home by a neighbour.",
            first_account__given_by="Neighbour Nine",
            reported_at=T0 + timedelta(days=1),
            toxicology__status="confirmed",
            toxicology__substances=["heroin"],
        ),
        known_at=T0,
    )
    return ["S-1", "S-2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("S-1", ["S-1"]),  # the reference
        ("churchyard", ["S-1"]),  # the place type
        ("heroin", ["S-2"]),  # a substance
        ("Oak Close", ["S-2"]),  # the address where found
        ("Alex Testperson", ["S-1"]),  # the deceased
        ("testperson", ["S-1"]),  # any case
        ("Oldp", ["S-2"]),  # the start of a word
        ("neighbour", ["S-2"]),  # the circumstances
        ("Caller One", ["S-1"]),  # a person on the case (and the first account's giver)
        ("07700 900461", ["S-1"]),  # a phone as written
        ("07700900461", ["S-1"]),  # ... without its space
        ("+44 7700 900461", ["S-1"]),  # ... in its canonical form
        ("caller.one@example.com", ["S-1"]),  # an e-mail
        ("Caller churchyard", ["S-1"]),  # words from different documents of one case
        ("Caller heroin", []),  # every word must be on the case
        ("nobody", []),
    ],
)
def test_finds_cases_by_what_they_hold(cases, investigator, query, expected):
    assert found(investigator, query) == expected


def test_accented_names_are_found_as_written_in_any_case(cases, officer, investigator):
    services.record_person(
        officer, "S-2", PersonEntry(ref="P-Z", name="Zoë Ämber", roles=["witness"])
    )
    assert found(investigator, "Zoë") == ["S-2"]
    assert found(investigator, "ÄMBER zoë") == ["S-2"]


def test_results_are_most_recent_first_and_say_what_matched(cases, investigator):
    results = search_cases(investigator, "London", face="test")
    assert results.total == 2
    assert [hit.reference for hit in results.hits] == ["S-2", "S-1"]
    hit = search_cases(investigator, "07700 900461", face="test").hits[0]
    assert ("phone of caller Caller One", "07700 900461 (+447700900461)") in [
        (match.field, match.text) for match in hit.matches
    ]


def test_pages_count_every_match(officer, investigator):
    for number in range(5):
        services.open_case(officer, f"P-{number}", suspicious_report(), known_at=T0)
    results = search_cases(investigator, "churchyard", face="test", limit=2, offset=2)
    assert results.total == 5 and len(results.hits) == 2
    assert results.has_prev and results.has_next


def test_every_search_is_audited_as_a_consultation_with_its_words(cases, analyst):
    search_cases(analyst, "  Caller One ", face="web")
    row = AuditEntry.objects.filter(actor="analyst1").order_by("-seq").first()
    assert row is not None and row.verb == "consultation"
    payload = json.loads(row.payload)
    assert payload["search"] == "Caller One"
    assert payload["total"] == 1 and payload["face"] == "web"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "enter a name, phone number, address, place or reference"),
        ("  !!! ", "enter a name, phone number, address, place or reference"),
        ("x" * 201, "a search can be at most 200 characters long"),
        ("a b c d e f g h i j k", "a search can have at most 10 words"),
    ],
)
def test_a_query_without_words_or_too_long_is_refused_beside_the_field(
    cases, analyst, query, reason
):
    before = AuditEntry.objects.count()
    with pytest.raises(services.Invalid) as info:
        search_cases(analyst, query, face="test")
    assert (info.value.field, info.value.reason) == ("q", reason)
    assert AuditEntry.objects.count() == before


def test_a_phone_number_is_one_term_with_its_canonical_form():
    assert parse("07700 900461") == [(("447700900461",), ("07700900461",), ("07700", "900461"))]
    assert parse("Caller One") == [(("caller",),), (("one",),)]


def test_a_run_of_characters_between_spaces_is_one_term():
    assert parse("DEMO-S7-2015-000004 home") == [(("demo", "s7", "2015", "000004"),), (("home",),)]
    assert parse("sam@example.com") == [(("sam", "example", "com"),)]


# --- need-to-know and masking ----------------------------------------------------------------


def test_a_restricted_case_is_never_found_nor_counted_by_those_not_named(cases, sergeant):
    services.restrict_case(sergeant, "S-1")
    outsider = make_user("investigator-x", UserRole.INVESTIGATOR)
    for query in ("S-1", "churchyard", "Caller One", "07700 900461", "London"):
        results = search_cases(outsider, query, face="test")
        assert "S-1" not in [hit.reference for hit in results.hits]
    assert search_cases(outsider, "London", face="test").total == 1
    assert found(sergeant, "Caller One") == ["S-1"]


def test_who_the_deceased_was_is_not_searchable_on_a_restricted_case_without_see_sensitive(
    cases, sergeant, analyst
):
    services.record_person(
        sergeant,
        "S-1",
        PersonEntry(
            ref="P-D",
            name="Alex Testperson",
            roles=["deceased"],
            identifiers=[{"kind": "phone", "value": "07700 900999"}],
        ),
    )
    services.restrict_case(sergeant, "S-1", [analyst.username])
    # The analyst is named, but may not see who the deceased was on a restricted case.
    assert found(analyst, "S-1") == ["S-1"]
    assert found(analyst, "Caller One") == ["S-1"]
    for query in ("Alex Testperson", "07700 900999", "Found slumped"):
        assert found(analyst, query) == [], query
    # A reviewing officer named on it may.
    for query in ("Alex Testperson", "07700 900999", "Found slumped"):
        assert found(sergeant, query) == ["S-1"], query


def test_the_advisory_panel_finds_no_one_by_name_address_or_identifier(cases):
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    for query in ("Alex Testperson", "Caller One", "07700 900461", "Oak Close", "neighbour"):
        assert found(panel, query) == [], query
    assert found(panel, "churchyard") == ["S-1"]
    assert found(panel, "S-2") == ["S-2"]


def test_masked_names_in_results(cases, sergeant, analyst):
    services.restrict_case(sergeant, "S-1", [analyst.username])
    hit = search_cases(analyst, "S-1", face="test").hits[0]
    assert hit.deceased == "[withheld]"
    assert search_cases(sergeant, "S-1", face="test").hits[0].deceased == "Alex Testperson"


# --- the index follows every writer ----------------------------------------------------------


def test_the_index_follows_new_facts_persons_and_renamed_persons(cases, officer, investigator):
    services.record_facts(
        officer, "S-2", DeathReport.model_validate({"location": {"address": "9 Ash Row, E6"}})
    )
    assert found(investigator, "Oak Close") == []
    assert found(investigator, "Ash Row") == ["S-2"]
    services.record_person(
        officer,
        "S-2",
        PersonEntry(ref="P-C", name="Caller Onesie", roles=["finder"]),
    )
    # The same person (ref P-C), renamed: both of their cases find the new name.
    assert found(investigator, "Onesie") == ["S-2", "S-1"]


def test_the_index_follows_the_bulk_import(db, investigator):
    admin = make_user("admin1", UserRole.ADMINISTRATOR)
    record = CaseRecord.model_validate(
        {
            "format": "vigil.case/1",
            "reference": "IMP-1",
            "recorded_by": "PC 1",
            "report": {"reported_at": T0.isoformat(), "circumstances": "Imported quietly."},
            "persons": [
                {
                    "ref": "P-I",
                    "name": "Ima Porter",
                    "roles": ["finder"],
                    "identifiers": [{"kind": "handle", "value": "@ima_porter"}],
                }
            ],
        }
    )
    report = services.import_lines(admin, [record.model_dump_json()])
    assert report.created == 1, report.errors
    assert found(investigator, "quietly") == ["IMP-1"]
    assert found(investigator, "Ima Porter") == ["IMP-1"]
    assert found(investigator, "ima porter") == ["IMP-1"]


def test_the_index_is_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'vigil_search%'"
            )
            assert len(cursor.fetchall()) == 10
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'vigil_search%'")
            assert {row[0] for row in cursor.fetchall()} == set(VECTORS)


def test_on_postgresql_the_queries_use_the_gin_indexes(cases, investigator):
    """The service's SearchVector expressions must be the migration's, or the planner cannot
    use the indexes. (On SQLite the FTS5 table is the index, checked above.)"""
    if connection.vendor != "postgresql":
        assert found(investigator, "Caller") == ["S-1"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for name in VECTORS:
        plan = matching(name, (("caller",),)).explain()
        assert name in plan, plan
