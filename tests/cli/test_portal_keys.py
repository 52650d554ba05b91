"""`vigil portal keys`: the team's key pair written owner-only (the private key only protected
by the passphrase), never overwritten without --replace; and `vigil demo` makes a demo team key
whose printed passphrase opens it."""

from __future__ import annotations

import re
import stat

from django.conf import settings
from typer.testing import CliRunner

from vigil.audit.models import AuditEntry
from vigil.cli.app import app
from vigil.domain.sealing import check_public_key, open_sealed, seal, unlock_identity

runner = CliRunner()
PASSPHRASE = "a team passphrase for the portal"


def _owner_only(path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def _keys(*args: str, **kwargs):
    return runner.invoke(app, ["portal", "keys", *args], **kwargs)


def test_keys_are_made_from_a_passphrase_typed_twice(db):
    result = _keys(input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    identity_file = settings.VIGIL.portal_identity_file
    public_file = settings.VIGIL.portal_public_key_file
    public_key = check_public_key(public_file.read_text())
    assert public_key in result.output
    assert _owner_only(identity_file) and _owner_only(public_file)
    protected = identity_file.read_bytes()
    assert b"AGE-SECRET-KEY" not in protected  # only the passphrase opens it
    identity = unlock_identity(protected, PASSPHRASE)
    assert identity.public_key == public_key
    assert open_sealed(seal(b"a report", [public_key]), identity) == b"a report"
    (row,) = AuditEntry.objects.filter(event="portal.key_made")
    assert PASSPHRASE not in row.payload and public_key in row.payload


def test_the_passphrase_must_match_and_be_long_enough(db, tmp_path):
    mismatch = _keys(input=f"{PASSPHRASE}\nsomething else entirely\n{PASSPHRASE}\n{PASSPHRASE}\n")
    assert mismatch.exit_code == 0, mismatch.output  # asked again until the two agree
    settings.VIGIL.portal_identity_file.unlink()
    short = tmp_path / "short"
    short.write_text("too short\n")
    refused = _keys("--passphrase-file", str(short))
    assert refused.exit_code == 1 and "too short" in refused.output
    assert not settings.VIGIL.portal_identity_file.exists()


def test_an_existing_key_is_replaced_only_when_asked(db, tmp_path):
    phrase = tmp_path / "phrase"
    phrase.write_text(PASSPHRASE + "\n")
    assert _keys("--passphrase-file", str(phrase)).exit_code == 0
    first = settings.VIGIL.portal_public_key_file.read_text()

    again = _keys("--passphrase-file", str(phrase))
    assert again.exit_code == 1
    assert "unreadable" in again.output and "--replace" in again.output
    assert settings.VIGIL.portal_public_key_file.read_text() == first

    replaced = _keys("--passphrase-file", str(phrase), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "unreadable" in replaced.output  # the warning, before it is done
    assert settings.VIGIL.portal_public_key_file.read_text() != first
    assert AuditEntry.objects.filter(event="portal.key_made").count() == 2


def test_the_demo_makes_a_team_key_and_prints_its_passphrase(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # not tested here
    result = runner.invoke(app, ["demo", "--cases", "0", "--no-serve"])
    assert result.exit_code == 0, result.output
    found = re.search(
        r"Portal team passphrase \(demo, shown this once\): ([a-z ]+)\n", result.output
    )
    assert found, result.output
    protected = settings.VIGIL.portal_identity_file.read_bytes()
    assert unlock_identity(protected, found.group(1).strip()).public_key == (
        settings.VIGIL.portal_public_key_file.read_text().strip()
    )
    assert re.search(r"safeguarding: otpauth://", result.output)
    # run again: the key is kept, and no passphrase is printed
    again = runner.invoke(app, ["demo", "--cases", "0", "--no-serve"])
    assert "exists already" in again.output and found.group(1) not in again.output
