import pytest
from django.db import DatabaseError, connection, transaction

from vigil import services
from vigil.audit import service as audit
from vigil.audit.events import Event, Verb
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport


def _make_rows(officer, n=5):
    for i in range(n):
        services.open_case(officer, f"A-{i}", DeathReport())


def _tamper(sql, params=()):
    """What someone with database access might do: switch the guard off, change a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")
            cursor.execute(sql, params)


def test_an_untouched_chain_verifies(officer):
    _make_rows(officer)
    result = audit.verify()
    assert result.ok and result.checked == AuditEntry.objects.count() >= 6


def test_the_database_refuses_update_and_delete(officer):
    _make_rows(officer, 1)
    for sql in ("UPDATE audit_auditentry SET actor = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert AuditEntry.objects.filter(actor="x").count() == 0


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (
            'UPDATE audit_auditentry SET payload = \'{"facts":["scene.note_present"]}\' WHERE seq = %s',
            "does not match its hash",
        ),
        (
            "UPDATE audit_auditentry SET actor = 'someone-else' WHERE seq = %s",
            "does not match its hash",
        ),
        ("DELETE FROM audit_auditentry WHERE seq = %s", "is missing"),
    ],
)
def test_tampering_with_one_row_is_found_and_named(officer, sql, says):
    _make_rows(officer)
    target = 4
    _tamper(sql, [target])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == target
    assert says in result.reason


def test_every_event_renders_as_a_sentence():
    for event in Event:
        payload = {key: 1 for key in event.keys}
        assert event.render("pc1", "T-1", payload)
        assert isinstance(event.verb, Verb)


def test_a_payload_missing_its_keys_is_refused(db):
    with transaction.atomic(), pytest.raises(ValueError, match="lacks rationale"):
        audit.record("pc1", Event.CATEGORY_DECIDED, "case", "T-1", {"category": "x"})
