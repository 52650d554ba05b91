import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from vigil import services
from vigil.audit import checkpoints
from vigil.audit import service as audit
from vigil.audit.events import Event, Verb
from vigil.audit.models import AuditEntry
from vigil.config.env import SettingsError, VigilSettings
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
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")
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


# --- the keyed chain and its checkpoints (issue 10, item 9)


def _rows():
    return list(AuditEntry.objects.order_by("seq"))


def _rewrite_from(seq, key, change=None, until=None):
    """What someone who can write the database but lacks the audit key might do: change row
    ``seq`` (``change(row)``) and recompute its hash and every later one (to ``until``) with
    ``key`` (None: plain SHA-256, the chain's own function; else a key of their own)."""
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    for row in _rows():
        if row.seq < seq or (until and row.seq > until):
            continue
        if change and row.seq == seq:
            change(row)
        fields = {
            "seq": row.seq,
            "at": row.at,
            "actor": row.actor,
            "verb": row.verb,
            "event": row.event,
            "target_type": row.target_type,
            "target_ref": row.target_ref,
            "payload": row.payload,
        }
        digest = audit.entry_hash(prev, key=key, **fields)
        _tamper(
            "UPDATE audit_auditentry SET actor = %s, payload = %s, prev_hash = %s, hash = %s "
            "WHERE seq = %s",
            [row.actor, row.payload, prev, digest, row.seq],
        )
        prev = digest


def _someone_else(row):
    row.actor = "someone-else"


@pytest.mark.parametrize("key", [None, b"a key of the tamperer's own, not the audit key"])
def test_rewriting_a_row_and_recomputing_the_later_hashes_without_the_key_is_found(officer, key):
    _make_rows(officer)
    assert audit.verify().ok
    _rewrite_from(3, key, _someone_else)
    result = audit.verify()
    assert not result.ok and result.broken_seq == 3
    assert "audit key" in result.reason


def test_rewriting_the_whole_chain_as_plain_rows_is_found(officer):
    _make_rows(officer)
    _rewrite_from(1, None, _someone_else)
    result = audit.verify()
    assert not result.ok and result.broken_seq == 1
    assert "no signed row vouches for them" in result.reason


def test_deleting_the_last_rows_is_found_against_the_checkpoint(officer, tmp_path):
    book = tmp_path / "checkpoints.log"
    _make_rows(officer)
    rows, head = audit.head()
    checkpoints.append(book, settings.VIGIL.audit_key, rows, head)
    assert audit.verify(checkpoints=checkpoints.read(book, settings.VIGIL.audit_key)).ok
    _tamper("DELETE FROM audit_auditentry WHERE seq > %s", [rows - 2])
    assert audit.verify().ok  # the chain alone cannot tell
    result = audit.verify(checkpoints=checkpoints.read(book, settings.VIGIL.audit_key))
    assert not result.ok and result.broken_seq == rows - 1
    assert f"rows {rows - 1} to {rows} missing" in result.reason
    assert "counted" in result.reason


def test_a_row_that_differs_from_its_checkpoint_is_named(officer, tmp_path):
    """A chain recomputed with the key (or another store at the same place) still differs
    from what was checkpointed."""
    book = tmp_path / "checkpoints.log"
    _make_rows(officer)
    rows, head = audit.head()
    checkpoints.append(book, settings.VIGIL.audit_key, rows, head)
    _rewrite_from(2, audit.chain_key(), _someone_else)
    assert audit.verify().ok
    result = audit.verify(checkpoints=checkpoints.read(book, settings.VIGIL.audit_key))
    assert not result.ok and result.broken_seq == rows
    assert "differs from the signed checkpoint" in result.reason


def test_a_checkpoint_line_altered_or_signed_with_another_key_is_refused(tmp_path):
    book = tmp_path / "checkpoints.log"
    key = settings.VIGIL.audit_key
    checkpoints.append(book, key, 3, "a" * 64)
    assert [c.rows for c in checkpoints.read(book, key)] == [3]
    assert book.stat().st_mode & 0o777 == 0o600
    with pytest.raises(checkpoints.CheckpointError, match="another audit key"):
        checkpoints.read(book, b"x" * 64)
    book.write_text(book.read_text().replace('"rows": 3', '"rows": 30'))
    with pytest.raises(checkpoints.CheckpointError, match="line 1: its signature"):
        checkpoints.read(book, key)


def test_rows_from_before_the_key_keep_their_plain_hash_and_are_vouched_for(officer):
    """A store written before the chain was keyed: migration 0003 appends the signed row that
    counts its plain rows; those rows verify, and rewriting one of them is still found."""
    _make_rows(officer)
    _rewrite_from(1, None)  # as the chain was before it had a key
    assert not audit.verify().ok
    with transaction.atomic():
        assert audit.seal_legacy()
        assert not audit.seal_legacy()  # once
    plain = AuditEntry.objects.count() - 1
    result = audit.verify()
    assert result.ok and result.unkeyed == plain
    services.open_case(officer, "A-after", DeathReport())
    assert audit.verify().ok
    _rewrite_from(2, None, _someone_else, until=plain)  # a plain row and the plain rows after
    result = audit.verify()
    assert not result.ok and result.broken_seq == plain + 1
    _rewrite_from(plain + 1, None)  # and every row after them, as plain rows
    result = audit.verify()
    assert not result.ok and "no signed row vouches for them" in result.reason


def test_the_audit_key_is_a_setting_kept_out_of_the_database(tmp_path):
    env = {"VIGIL_SECRET_KEY": "x" * 50, "VIGIL_HOME": str(tmp_path)}
    made = VigilSettings.from_env(env)
    assert made.audit_key == (tmp_path / ".vigil-audit-key").read_bytes().strip()
    assert (tmp_path / ".vigil-audit-key").stat().st_mode & 0o777 == 0o600
    assert VigilSettings.from_env(env).audit_key == made.audit_key  # made once
    given = VigilSettings.from_env({**env, "VIGIL_AUDIT_KEY": "k" * 40})
    assert given.audit_key == b"k" * 40
    with pytest.raises(SettingsError, match="VIGIL_AUDIT_KEY: the audit key has 5 characters"):
        VigilSettings.from_env({**env, "VIGIL_AUDIT_KEY": "short"})
    assert made.audit_checkpoints.parent == tmp_path / "audit-checkpoints"
    elsewhere = VigilSettings.from_env({**env, "VIGIL_DATABASE_URL": "postgres://u:pw@h:5432/db"})
    assert elsewhere.audit_checkpoints != made.audit_checkpoints
    assert "pw" not in str(elsewhere.audit_checkpoints)
