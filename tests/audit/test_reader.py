"""The audit reader (issue 10, item 11): who viewed or changed a case, what a user did; for
read_audit only; need-to-know holds; every reading is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.cli.app import app
from vigil.domain import UserRole
from vigil.services.readmodels.auditreader import audit_trail


@pytest.fixture
def store(officer, sergeant):
    services.open_case(officer, "R-1", suspicious_report(), known_at=T0)
    services.open_case(officer, "R-HIDDEN", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "R-HIDDEN", [])
    services.view_case(officer, "R-1", face="web")
    services.view_case(sergeant, "R-1", face="api")
    return make_user("auditor", UserRole.ADMINISTRATOR)


def test_who_viewed_or_changed_a_case_newest_first(store):
    trail = audit_trail(store, case="R-1", face="cli")
    seen = [(line.actor, line.event) for line in trail.lines]
    assert seen[:2] == [("sergeant1", "case.viewed"), ("officer1", "case.viewed")]
    assert seen[-1] == ("officer1", "case.opened")
    assert trail.lines[0].face == "api" and "viewed case R-1" in trail.lines[0].sentence
    assert [line.seq for line in trail.lines] == sorted((x.seq for x in trail.lines), reverse=True)


def test_what_a_user_did_leaves_out_every_row_naming_a_hidden_case(store):
    trail = audit_trail(store, user="officer1", face="web")
    refs = {line.target_ref for line in trail.lines}
    assert "R-1" in refs and "R-HIDDEN" not in refs
    assert all("R-HIDDEN" not in line.sentence for line in trail.lines)
    # the sergeant, named on it, sees those rows
    sergeant = services.actor_for("sergeant1")
    assert "R-HIDDEN" in {
        line.target_ref for line in audit_trail(sergeant, user="officer1", face="web").lines
    }


def test_a_hidden_case_answers_as_a_missing_one(store):
    with pytest.raises(services.NotFound) as hidden:
        audit_trail(store, case="R-HIDDEN", face="web")
    with pytest.raises(services.NotFound) as missing:
        audit_trail(store, case="R-NONE", face="web")
    assert hidden.value.reason.replace("R-HIDDEN", "X") == missing.value.reason.replace(
        "R-NONE", "X"
    )


def test_pages_and_each_reading_is_audited(store):
    first = audit_trail(store, user="officer1", face="cli", limit=2)
    second = audit_trail(store, user="officer1", face="cli", limit=2, offset=2)
    assert first.has_next and len(first.lines) == 2
    assert {line.seq for line in first.lines}.isdisjoint(line.seq for line in second.lines)
    reads = AuditEntry.objects.filter(event="audit.read", actor="auditor")
    assert reads.count() == 2 and {r.target_ref for r in reads} == {"officer1"}
    audit_trail(store, case="R-1", face="cli")
    assert audit_trail(store, case="R-1", face="cli").lines[0].event == "audit.read"


NO_READ_AUDIT = [
    r for r in UserRole if r not in {UserRole.ADMINISTRATOR, UserRole.REVIEWING_OFFICER}
]


@pytest.mark.parametrize("role", NO_READ_AUDIT)
def test_only_read_audit_may_read(store, role):
    reader = make_user(f"reader-{role.value}", role)
    with pytest.raises(services.Forbidden, match="may not read the audit trail"):
        audit_trail(reader, case="R-1", face="web")


def test_the_page_for_those_who_hold_read_audit(client, store, officer):
    sign_in(client, "auditor")
    page = client.get(reverse("audit-trail"), {"case": "R-1"})
    assert page.status_code == 200
    assert b"viewed case R-1" in page.content and b'href="/audit/"' in page.content
    hidden = client.get(reverse("audit-trail"), {"case": "R-HIDDEN"})
    missing = client.get(reverse("audit-trail"), {"case": "R-NONE"})
    assert hidden.status_code == missing.status_code == 404
    assert b"There is no case" in hidden.content
    sign_in(client, "officer1")
    assert client.get(reverse("audit-trail"), {"user": "officer1"}).status_code == 403
    assert b'href="/audit/"' not in client.get(reverse("case-list")).content


def test_the_command(store):
    runner = CliRunner()
    shown = runner.invoke(app, ["audit", "show", "--case", "R-1", "--json", "--as", "auditor"])
    assert shown.exit_code == 0, shown.output
    assert '"actor": "sergeant1"' in shown.output
    refused = runner.invoke(app, ["audit", "show", "--case", "R-HIDDEN", "--as", "auditor"])
    assert refused.exit_code == 1 and "there is no case 'R-HIDDEN'" in refused.output
    assert runner.invoke(app, ["audit", "show"]).exit_code == 2
