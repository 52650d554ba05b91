"""A value longer than its column is refused by the service, naming the field, and nothing is
written: on SQLite (which would store it) and on PostgreSQL (which would fail deep inside)."""

from __future__ import annotations

import pytest

from tests.conftest import SYSTEM, T0, suspicious_report
from vigil import services
from vigil.audit.models import TARGET_REF, AuditEntry
from vigil.domain import (
    Action,
    CustodyEvent,
    Exhibit,
    Identifier,
    IdentifierKind,
    PersonEntry,
    Role,
    UserRole,
    limits,
)
from vigil.records import models as m

SEIZED = CustodyEvent(kind="seized", at=T0, from_holder="scene", to_holder="PC 1", by="PC 1")


@pytest.fixture
def case(officer):
    services.open_case(officer, "B-1", suspicious_report(), known_at=T0)
    return "B-1"


def written() -> tuple[int, ...]:
    """Everything a refused use case must leave as it was."""
    version = m.Case.objects.filter(reference="B-1").values_list("version", flat=True).first()
    counts = (
        m.Case.objects.count(),
        m.Exhibit.objects.count(),
        m.CustodyEvent.objects.count(),
        m.Person.objects.count(),
        m.CasePerson.objects.count(),
        m.Identifier.objects.count(),
        m.Action.objects.count(),
        AuditEntry.objects.count(),
    )
    return (version or 0, *counts)


def test_a_seal_number_as_long_as_its_column_is_stored(officer, case):
    seal = "S" * limits.SEAL_NUMBER
    exhibit = Exhibit(ref="E-1", description="cup", seal_number=seal, custody=[SEIZED])
    state = services.record_exhibit(officer, case, exhibit)
    assert state.view.exhibits[0].seal_number == seal
    assert m.Exhibit.objects.get().seal_number == seal


def test_a_longer_seal_number_is_refused_naming_it_and_nothing_is_written(officer, case):
    exhibit = Exhibit(ref="E-1", description="cup", custody=[SEIZED])
    # The domain refuses it when the value is made...
    with pytest.raises(ValueError, match="at most 64 characters"):
        Exhibit(ref="E-1", description="cup", seal_number="S" * (limits.SEAL_NUMBER + 1))
    # ...and the service when it was made without validation (model_copy does not validate).
    too_long = exhibit.model_copy(update={"seal_number": "S" * (limits.SEAL_NUMBER + 1)})
    before = written()
    with pytest.raises(services.Invalid) as refused:
        services.record_exhibit(officer, case, too_long)
    assert refused.value.field == "seal_number"
    assert "at most 64 characters" in refused.value.reason
    assert written() == before


def test_a_person_ref_longer_than_its_column_is_refused_naming_it(officer, case):
    services.record_person(
        officer, case, PersonEntry(ref="P" * limits.PERSON_REF, roles=[Role.CALLER])
    )
    assert m.CasePerson.objects.filter(external_ref="P" * limits.PERSON_REF).exists()
    too_long = PersonEntry.model_construct(
        ref="Q" * (limits.PERSON_REF + 1), roles=(Role.CALLER,), identifiers=()
    )
    before = written()
    with pytest.raises(services.Invalid) as refused:
        services.record_person(officer, case, too_long)
    assert refused.value.field == "ref"
    assert written() == before


def test_an_identifier_whose_normalised_form_is_too_long_is_refused_naming_it(officer, case):
    entry = PersonEntry(ref="P-1", roles=[Role.FRIEND])
    # 'Rd' is stored as 'ROAD'
    outgrown = Identifier.model_construct(kind=IdentifierKind.ADDRESS, value="1 Rd " * 60)
    too_long = entry.model_copy(update={"identifiers": (outgrown,)})
    before = written()
    with pytest.raises(services.Invalid) as refused:
        services.record_person(officer, case, too_long)
    assert refused.value.field == "identifiers.0"
    assert f"at most {limits.IDENTIFIER}" in refused.value.reason
    assert written() == before


def test_a_case_reference_longer_than_its_column_is_refused_naming_it(officer):
    longest = "R" * limits.REFERENCE
    services.open_case(officer, longest, suspicious_report(), known_at=T0)
    assert m.Case.objects.filter(reference=longest).exists()
    before = (m.Case.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.Invalid) as refused:
        services.open_case(officer, longest + "R", suspicious_report(), known_at=T0)
    assert refused.value.field == "reference"
    assert refused.value.reason == "has 65 characters; a case reference has at most 64"
    assert (m.Case.objects.count(), AuditEntry.objects.count()) == before


def test_an_action_owner_longer_than_a_username_is_refused(officer, investigator, case):
    raised = {"state": "raised", "at": T0, "by": "investigator1"}
    action = Action(ref="A-1", kind="trace", title="Trace the caller", history=[raised])
    services.raise_action(investigator, case, action)
    before = written()
    with pytest.raises(services.Invalid) as refused:
        services.move_action(
            investigator, case, "A-1", "allocated", owner="o" * (limits.USERNAME + 1)
        )
    assert refused.value.field == "owner"
    assert written() == before


@pytest.mark.parametrize(
    ("username", "display_name", "field"),
    [
        ("u" * (limits.USERNAME + 1), "", "username"),
        ("", "", "username"),
        ("someone", "d" * (limits.DISPLAY_NAME + 1), "display_name"),
    ],
)
def test_a_user_whose_names_do_not_fit_is_refused(db, username, display_name, field):
    with pytest.raises(services.Invalid) as refused:
        services.create_user(
            SYSTEM,
            username,
            UserRole.INVESTIGATOR,
            "a-long-test-password-1",
            display_name=display_name,
            check_password=False,
        )
    assert refused.value.field == field
    assert not m.Profile.objects.exists()


def test_a_search_longer_than_the_audit_target_is_audited_cut_and_kept_whole(officer, case):
    search = "Testperson " * 30
    total, _ = services.list_cases(officer, face="test", search=search)
    assert total == 0
    entry = AuditEntry.objects.filter(event="cases.listed").latest("seq")
    assert entry.target_ref == search[:TARGET_REF]
    assert search in entry.payload
