"""Each service checks the role table: allowed roles get through, others are refused with
Forbidden and nothing changes."""

from __future__ import annotations

import io

import pytest

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.domain import Category, DeathReport, Exhibit, UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge, list_alerts, list_series

ROLES = {
    "response_officer": UserRole.RESPONSE_OFFICER,
    "reviewing_officer": UserRole.REVIEWING_OFFICER,
    "investigator": UserRole.INVESTIGATOR,
    "analyst": UserRole.ANALYST,
    "panel_member": UserRole.PANEL_MEMBER,
    "administrator": UserRole.ADMINISTRATOR,
}


@pytest.fixture
def staff(linked_pair):
    """One user per role, and a case (L-1) with an alert (linked_pair)."""
    return {
        name: make_user(f"{name}-x", role) for name, role in ROLES.items() if name != "analyst"
    } | {"analyst": services.actor_for("analyst1")}


def _record(actor):
    services.record_facts(actor, "L-1", DeathReport.model_validate({"circumstances": "More."}))


def _categorise(actor):
    services.decide_category(actor, "L-1", Category.HOMICIDE, "Drugged and moved.")


def _exhibit(actor):
    services.record_exhibit(actor, "L-1", Exhibit(ref=f"X-{actor}", description="cup"))


def _judge(actor):
    judge(actor, m.CaseLink.objects.get().pk, Verdict.UNSURE, "Need the phone data.")


def _export(actor):
    services.export_cases(actor, io.StringIO())


def _import(actor):
    services.import_lines(actor, [])


def _restrict(actor):
    services.restrict_case(actor, "L-1")


def _user(actor):
    services.create_user(actor, f"new-{actor}", UserRole.ANALYST, "x", check_password=False)


def _open(actor):
    services.open_case(actor, f"N-{actor}", suspicious_report(), known_at=T0)


USE_CASES = {
    "view": (lambda a: services.view_case(a, "L-1", face="test"), set(ROLES)),
    "list": (lambda a: services.list_cases(a, face="test"), set(ROLES)),
    "open": (_open, {"response_officer", "reviewing_officer", "investigator"}),
    "record": (_record, {"response_officer", "reviewing_officer", "investigator"}),
    "categorise": (_categorise, {"response_officer", "reviewing_officer", "investigator"}),
    "exhibit": (_exhibit, {"response_officer", "reviewing_officer", "investigator"}),
    "alerts": (
        lambda a: list_alerts(a, face="test"),
        {"reviewing_officer", "investigator", "analyst"},
    ),
    "judge": (_judge, {"reviewing_officer", "analyst"}),
    "series": (
        lambda a: list_series(a, face="test"),
        {"reviewing_officer", "investigator", "analyst", "panel_member"},
    ),
    "export": (_export, {"reviewing_officer", "investigator", "analyst", "administrator"}),
    "import": (_import, {"administrator"}),
    "restrict": (_restrict, {"reviewing_officer", "investigator"}),
    "manage users": (_user, {"administrator"}),
}


@pytest.mark.parametrize("use_case", list(USE_CASES))
@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_may_do_what_the_table_says_and_nothing_else(staff, use_case, role):
    call, allowed = USE_CASES[use_case]
    actor = staff[role]
    if role in allowed:
        call(actor)
    else:
        with pytest.raises(services.Forbidden) as info:
            call(actor)
        assert info.value.field == "permission"
        assert f" {role.replace('_', ' ')} may not" in info.value.reason  # "an analyst may not"


def test_a_refused_writer_changes_nothing(staff):
    version = m.Case.objects.get(reference="L-1").version
    facts = m.Fact.objects.count()
    with pytest.raises(services.Forbidden):
        _record(staff["analyst"])
    with pytest.raises(services.Forbidden):
        _record(staff["panel_member"])
    assert m.Case.objects.get(reference="L-1").version == version
    assert m.Fact.objects.count() == facts
