"""The domain's bounds agree with the columns its values are stored in.

SQLite stores a text longer than its column; PostgreSQL refuses it with an error naming no
field. So each domain field stored in a bounded column declares the column's length, and this
checks that the two agree: both are read back (the domain's from its JSON Schema, the column's
from Django), so a bound changed on one side only fails here.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model
from pydantic import BaseModel, ValidationError

from vigil.audit.models import AuditEntry
from vigil.domain import (
    Action,
    ActionState,
    ActionStep,
    Category,
    CategoryDecision,
    Concern,
    CustodyEvent,
    CustodyEventKind,
    Exhibit,
    ExhibitKind,
    Identifier,
    IdentifierKind,
    LiaisonEntry,
    LiaisonMethod,
    PersonEntry,
    PlaceType,
    Referral,
    ReferralState,
    Sex,
    UserRole,
    limits,
)
from vigil.domain.report import DeathReport, Deceased, Toxicology
from vigil.interchange.record import CaseRecord, ReportUpdate
from vigil.policy.model import ChecklistRule, PolicyPack
from vigil.records import models as m
from vigil.services.linkage.series import Verdict

# (domain model, field) -> (Django model, column) it is written to.
STORED: list[tuple[tuple[type[BaseModel], str], tuple[type[Model], str]]] = [
    ((Deceased, "name"), (m.Case, "deceased_name")),
    ((Toxicology, "substances"), (m.CaseSubstance, "substance")),
    ((PersonEntry, "ref"), (m.Person, "ref")),
    ((PersonEntry, "name"), (m.Person, "name")),
    ((Identifier, "value"), (m.Identifier, "value")),
    ((Identifier, "normalised"), (m.Identifier, "normalised")),
    ((LiaisonEntry, "person_ref"), (m.Person, "ref")),
    ((LiaisonEntry, "officer"), (m.LiaisonEntry, "officer")),
    ((Concern, "answered_by"), (m.Concern, "answered_by")),
    ((Exhibit, "ref"), (m.Exhibit, "ref")),
    ((Exhibit, "packaging"), (m.Exhibit, "packaging")),
    ((Exhibit, "seal_number"), (m.Exhibit, "seal_number")),
    ((CustodyEvent, "from_holder"), (m.CustodyEvent, "from_holder")),
    ((CustodyEvent, "to_holder"), (m.CustodyEvent, "to_holder")),
    ((CustodyEvent, "by"), (m.CustodyEvent, "by")),
    ((CustodyEvent, "prev_hash"), (m.CustodyEvent, "prev_hash")),
    ((CustodyEvent, "hash"), (m.CustodyEvent, "hash")),
    ((Action, "ref"), (m.Action, "ref")),
    ((Action, "kind"), (m.Action, "kind")),
    ((Action, "title"), (m.Action, "title")),
    ((Action, "owner"), (m.Action, "owner")),
    ((Action, "subject"), (m.Person, "ref")),
    ((ActionStep, "by"), (m.ActionStep, "by")),
    ((Referral, "ref"), (m.Referral, "ref")),
    ((Referral, "to_team"), (m.Referral, "to_team")),
    ((Referral, "made_by"), (m.Referral, "made_by")),
    ((Referral, "answered_by"), (m.Referral, "answered_by")),
    ((CategoryDecision, "decided_by"), (m.CategoryDecision, "decided_by")),
    ((CategoryDecision, "override_by"), (m.CategoryDecision, "override_by")),
    ((CaseRecord, "recorded_by"), (m.Fact, "recorded_by")),
    ((CaseRecord, "recorded_by"), (m.CasePerson, "recorded_by")),
    ((CaseRecord, "recorded_by"), (m.Identifier, "recorded_by")),
    ((CaseRecord, "recorded_by"), (m.LiaisonEntry, "recorded_by")),
    ((CaseRecord, "recorded_by"), (m.Exhibit, "recorded_by")),
    ((ReportUpdate, "recorded_by"), (m.Fact, "recorded_by")),
    ((ChecklistRule, "id"), (m.ChecklistItem, "rule_id")),
    ((ChecklistRule, "title"), (m.ChecklistItem, "title")),
]

# Columns a signed-in user's name is written to (who opened, recorded, answered...).
USERNAMES: list[tuple[type[Model], str]] = [
    (m.Case, "opened_by"),
    (m.Fact, "recorded_by"),
    (m.CasePerson, "recorded_by"),
    (m.Identifier, "recorded_by"),
    (m.LiaisonEntry, "recorded_by"),
    (m.Exhibit, "recorded_by"),
    (m.ActionStep, "by"),
    (m.CategoryDecision, "decided_by"),
    (m.CaseAccess, "username"),
    (m.CaseAccess, "granted_by"),
    (m.Alert, "analyst"),
    (m.Judgement, "by"),
    (AuditEntry, "actor"),
]

# Enumerations stored by value: their longest value fits the column.
ENUMS: list[tuple[type[Enum], tuple[type[Model], str]]] = [
    (PlaceType, (m.Case, "place_type")),
    (Sex, (m.Case, "deceased_sex")),
    (Sex, (m.Person, "sex")),
    (Category, (m.Case, "category")),
    (Category, (m.Case, "floor")),
    (Category, (m.CategoryDecision, "category")),
    (IdentifierKind, (m.Identifier, "kind")),
    (LiaisonMethod, (m.LiaisonEntry, "method")),
    (ExhibitKind, (m.Exhibit, "kind")),
    (CustodyEventKind, (m.CustodyEvent, "kind")),
    (ActionState, (m.Action, "state")),
    (ActionState, (m.ActionStep, "state")),
    (ReferralState, (m.Referral, "state")),
    (UserRole, (m.Profile, "role")),
    (UserRole, (m.ChecklistItem, "owner_role")),
    (Verdict, (m.Judgement, "verdict")),
]


def declared(model: type[BaseModel], name: str) -> int | None:
    """The field's maxLength as the domain publishes it (for a list, its items')."""
    schema: dict[str, Any] = model.model_json_schema()["properties"][name]
    for node in (schema, schema.get("items", {}), *schema.get("anyOf", ())):
        if "maxLength" in node:
            return int(node["maxLength"])
    return None


def column(model: type[Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length


@pytest.mark.parametrize(
    ("domain", "stored"), STORED, ids=[f"{d[0].__name__}.{d[1]}" for d, _ in STORED]
)
def test_a_domain_field_declares_the_length_of_its_column(domain, stored):
    bound = declared(*domain)
    assert bound is not None, f"{domain[0].__name__}.{domain[1]} declares no max_length"
    assert bound == column(*stored)


@pytest.mark.parametrize("stored", USERNAMES, ids=[f"{t.__name__}.{c}" for t, c in USERNAMES])
def test_a_column_naming_a_user_holds_any_username(stored):
    assert column(get_user_model(), "username") == limits.USERNAME
    assert column(*stored) == limits.USERNAME


@pytest.mark.parametrize(
    ("enum", "stored"), ENUMS, ids=[f"{t.__name__}.{c}" for _, (t, c) in ENUMS]
)
def test_every_value_of_an_enumeration_fits_its_column(enum, stored):
    assert max(len(str(member.value)) for member in enum) <= column(*stored)


def test_a_checklist_item_holds_the_ref_of_any_person_or_item():
    refs = [declared(t, "ref") for t in (PersonEntry, Exhibit, Action, Referral)]
    assert max(refs) == column(m.ChecklistItem, "subject")


def test_bounds_kept_apart_from_a_domain_field():
    assert column(m.Case, "reference") == limits.REFERENCE
    assert column(m.Case, "policy_version") == limits.POLICY_VERSION
    assert column(m.Profile, "display_name") == limits.DISPLAY_NAME


def test_the_interchange_accepts_a_reference_as_long_as_its_column_and_no_longer():
    longest = column(m.Case, "reference")
    assert CaseRecord(reference="R" * longest).reference == "R" * longest
    with pytest.raises(ValidationError) as refused:
        CaseRecord(reference="R" * (longest + 1))
    assert refused.value.errors()[0]["loc"] == ("reference",)


def test_an_identifier_whose_normalised_form_outgrows_its_column_is_refused():
    value = "1 Rd " * 60  # 300 characters; 'Rd' becomes 'ROAD'
    assert len(value.strip()) <= limits.IDENTIFIER
    with pytest.raises(ValidationError, match="normalised it has 419 characters"):
        Identifier(kind=IdentifierKind.ADDRESS, value=value)
    with pytest.raises(ValidationError) as refused:
        PersonEntry(ref="P-1", roles=["caller"], identifiers=[{"kind": "address", "value": value}])
    assert refused.value.errors()[0]["loc"] == ("identifiers", 0)


def test_a_name_that_cannot_be_stored_as_an_identifier_is_refused_at_once():
    # The name is stored among the person's identifiers too: refused when given, not on writing.
    with pytest.raises(ValidationError) as refused:
        PersonEntry(ref="P-1", roles=["caller"], name="???")
    assert refused.value.errors()[0]["loc"] == ("name",)
    assert "at least one letter" in str(refused.value)


def test_a_substance_is_measured_as_stored_in_lower_case():
    assert "İ".lower() != "İ" and len("İ".lower()) == 2
    Toxicology(substances=("İ" * (limits.SUBSTANCE // 2),))
    with pytest.raises(ValidationError, match="at most 80"):
        Toxicology(substances=("İ" * (limits.SUBSTANCE // 2 + 1),))


def test_a_policy_pack_whose_name_and_version_outgrow_their_column_is_refused():
    header = {"name": "default", "supervisor_roles": ["reviewing_officer"]}
    room = limits.POLICY_VERSION - len("default@")
    assert PolicyPack.model_validate({**header, "version": "9" * room}).version == "9" * room
    with pytest.raises(ValidationError) as refused:
        PolicyPack.model_validate({**header, "version": "9" * (room + 1)})
    assert refused.value.errors()[0]["loc"] == ("version",)


# --- free text: every text the domain holds has a bound (``limits``), so no field is unbounded

HOLDERS: list[type[BaseModel]] = [
    DeathReport,
    PersonEntry,
    Identifier,
    LiaisonEntry,
    Concern,
    Exhibit,
    CustodyEvent,
    Action,
    ActionStep,
    Referral,
    CategoryDecision,
]


def unbounded_texts(model: type[BaseModel]) -> list[str]:
    """'Model.field' for every text (or list of texts) in the model and the models it holds
    that declares no maxLength (dates, times and enumerations are not free text)."""
    schema = model.model_json_schema()
    found = []
    for name, definition in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        for field, node in definition.get("properties", {}).items():
            for option in [node, *node.get("anyOf", ()), node.get("items", {})]:
                is_text = option.get("type") == "string"
                if is_text and not {"format", "enum", "const", "maxLength"} & option.keys():
                    found.append(f"{name}.{field}")
    return found


@pytest.mark.parametrize("model", HOLDERS, ids=[m.__name__ for m in HOLDERS])
def test_no_text_of_the_domain_is_unbounded(model):
    assert unbounded_texts(model) == []


FREE_TEXTS = [
    (
        DeathReport,
        {"circumstances": "x" * (limits.NARRATIVE + 1)},
        "circumstances",
        limits.NARRATIVE,
    ),
    (
        DeathReport,
        {"first_account": {"account": "x" * (limits.NARRATIVE + 1)}},
        "first_account.account",
        limits.NARRATIVE,
    ),
    (
        PersonEntry,
        {"ref": "P-1", "roles": ["witness"], "statement": "x" * (limits.NARRATIVE + 1)},
        "statement",
        limits.NARRATIVE,
    ),
    (
        LiaisonEntry,
        {
            "person_ref": "P-1",
            "at": "2015-06-01T07:00:00Z",
            "method": "phone",
            "officer": "flo1",
            "summary": "Told of the death.",
            "concerns": [{"text": "x" * (limits.NOTE + 1)}],
        },
        "concerns.0.text",
        limits.NOTE,
    ),
    (
        CategoryDecision,
        {
            "category": "homicide",
            "rationale": "x" * (limits.NOTE + 1),
            "decided_by": "insp1",
            "decided_at": "2015-06-01T07:00:00Z",
        },
        "rationale",
        limits.NOTE,
    ),
]


@pytest.mark.parametrize(
    ("model", "data", "field", "bound"), FREE_TEXTS, ids=[f[2] for f in FREE_TEXTS]
)
def test_a_free_text_beyond_its_bound_is_refused_naming_it(model, data, field, bound):
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    error = refused.value.errors()[0]
    assert ".".join(str(p) for p in error["loc"]) == field
    assert f"at most {bound} characters" in error["msg"]
