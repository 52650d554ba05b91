"""Sealing portal submissions: round trips, recipients, and each failure named plainly.

Every unlock costs about a second of scrypt, so the team identity is made and unlocked once for
the module; the tests that need a fresh unlock are the ones about passphrases.
"""

import base64
import pickle
import re

import pyrage
import pytest
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from vigil.domain.sealing import (
    MIN_PASSPHRASE_LENGTH,
    SealingError,
    SealingProblem,
    TeamIdentity,
    change_passphrase,
    check_public_key,
    new_team_identity,
    open_sealed,
    seal,
    unlock_identity,
)

PASSPHRASE = "synthetic team passphrase for tests"
REPORT = (
    b"I was at the Testplace bar with Alex Testperson on Friday; my drink tasted salty and I "
    b"remember nothing after 11pm. Phone 07700 900461."
)


@pytest.fixture(scope="module")
def team() -> tuple[str, bytes]:
    return new_team_identity(PASSPHRASE)


@pytest.fixture(scope="module")
def unlocked(team: tuple[str, bytes]) -> TeamIdentity:
    return unlock_identity(team[1], PASSPHRASE)


def problem_of(call, *args) -> SealingProblem:
    with pytest.raises(SealingError) as caught:
        call(*args)
    return caught.value.problem


def flip(blob: bytes, index: int) -> bytes:
    changed = bytearray(blob)
    changed[index] ^= 0x01
    return bytes(changed)


def test_round_trip_with_the_unlocked_team_identity(team, unlocked):
    public_key, _ = team
    assert unlocked.public_key == public_key
    assert open_sealed(seal(REPORT, [public_key]), unlocked) == REPORT


def test_sealed_bytes_hold_no_plaintext(team):
    sealed = seal(REPORT, [team[0]])
    assert sealed.startswith(b"age-encryption.org/v1\n")
    windows = {REPORT[i : i + 8] for i in range(len(REPORT) - 8)}
    assert not any(window in sealed for window in windows)
    assert seal(REPORT, [team[0]]) != sealed  # a fresh file key every time


def test_protected_identity_holds_no_private_key(team):
    public_key, protected = team
    assert b"AGE-SECRET-KEY" not in protected
    assert public_key.encode() not in protected


def test_every_recipient_can_open_and_nobody_else(team, unlocked):
    escrow = x25519.Identity.generate()  # a standard age key, as `age-keygen` makes
    stranger = TeamIdentity(x25519.Identity.generate())
    sealed = seal(REPORT, [team[0], str(escrow.to_public())])
    assert open_sealed(sealed, unlocked) == REPORT
    assert pyrage.decrypt(sealed, [escrow]) == REPORT  # what `age -d -i key.txt` does
    assert problem_of(open_sealed, sealed, stranger) is SealingProblem.OTHER_KEY


def test_protected_identity_is_an_age_passphrase_file(team, unlocked):
    key_file = age_passphrase.decrypt(team[1], PASSPHRASE).decode()
    assert f"# public key: {team[0]}" in key_file
    secret_line = key_file.strip().splitlines()[-1]
    assert str(x25519.Identity.from_str(secret_line).to_public()) == unlocked.public_key


def armor(blob: bytes) -> bytes:
    """ASCII armor as `age -a` writes it: base64 in lines of 64 between two markers."""
    text = base64.b64encode(blob).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    body = "\n".join(
        ["-----BEGIN AGE ENCRYPTED FILE-----", *lines, "-----END AGE ENCRYPTED FILE-----"]
    )
    return f"{body}\n".encode()


def test_unlocks_what_age_p_writes_armored(team):
    identity = unlock_identity(armor(team[1]), PASSPHRASE)
    assert identity.public_key == team[0]


def test_wrong_passphrase(team):
    assert problem_of(unlock_identity, team[1], PASSPHRASE + "!") is (
        SealingProblem.WRONG_PASSPHRASE
    )


def test_damaged_protected_identity(team):
    protected = team[1]
    assert problem_of(unlock_identity, flip(protected, len(protected) - 1), PASSPHRASE) is (
        SealingProblem.DAMAGED_IDENTITY
    )


@pytest.mark.parametrize(
    "blob", [b"", b"garbage", b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----"]
)
def test_not_an_identity_at_all(blob):
    assert problem_of(unlock_identity, blob, PASSPHRASE) is SealingProblem.DAMAGED_IDENTITY


def test_an_identity_too_costly_to_unlock_is_refused_at_once(team):
    costly = re.sub(rb"(-> scrypt \S+) \d+\n", rb"\1 40\n", team[1], count=1)
    assert costly != team[1]
    assert problem_of(unlock_identity, costly, PASSPHRASE) is SealingProblem.TOO_COSTLY


def test_a_sealed_submission_is_not_an_identity(team):
    sealed = seal(REPORT, [team[0]])
    assert problem_of(unlock_identity, sealed, PASSPHRASE) is (
        SealingProblem.NOT_PASSPHRASE_PROTECTED
    )


def test_an_identity_is_not_a_sealed_submission(team, unlocked):
    assert problem_of(open_sealed, team[1], unlocked) is SealingProblem.PASSPHRASE_BLOB


def test_short_passphrase_refused():
    short = "x" * (MIN_PASSPHRASE_LENGTH - 1)
    assert problem_of(new_team_identity, short) is SealingProblem.SHORT_PASSPHRASE


@pytest.mark.slow
def test_change_passphrase(team):
    new = "another synthetic passphrase"
    changed = change_passphrase(team[1], PASSPHRASE, new)
    assert changed != team[1]
    assert unlock_identity(changed, new).public_key == team[0]


def damaged_sealed(sealed: bytes) -> dict[str, bytes]:
    header_end = sealed.index(b"\n--- ")
    return {
        "payload": flip(sealed, len(sealed) - 1),
        "header mac": flip(sealed, header_end + 10),
        "magic": flip(sealed, 3),
        "truncated": sealed[: header_end + 20],
        "empty": b"",
        "garbage": b"not an age file",
    }


def test_damaged_submissions(team, unlocked):
    for where, blob in damaged_sealed(seal(REPORT, [team[0]])).items():
        assert problem_of(open_sealed, blob, unlocked) is SealingProblem.DAMAGED_SUBMISSION, where


@pytest.mark.parametrize(
    ("recipients", "problem"),
    [
        ([], SealingProblem.NO_RECIPIENTS),
        (["age1notakey"], SealingProblem.BAD_PUBLIC_KEY),
        (["ssh-ed25519 AAAA synthetic"], SealingProblem.BAD_PUBLIC_KEY),
    ],
)
def test_bad_recipients(recipients, problem):
    assert problem_of(seal, REPORT, recipients) is problem


def test_one_string_is_not_a_list_of_recipients(team):
    with pytest.raises(TypeError):
        seal(REPORT, team[0])


def test_a_private_key_given_as_public_is_refused_and_not_echoed():
    secret = str(x25519.Identity.generate())
    with pytest.raises(SealingError) as caught:
        seal(REPORT, [secret])
    error = caught.value
    assert error.problem is SealingProblem.PRIVATE_KEY_GIVEN
    assert secret not in str(error) and secret not in repr(error)
    assert error.__cause__ is None and error.__suppress_context__


def test_check_public_key_strips_and_keeps_a_good_key(team):
    assert check_public_key(f"  {team[0]}\n") == team[0]


def test_unlocked_identity_shows_only_its_public_key(unlocked):
    assert repr(unlocked) == f"TeamIdentity(public_key={unlocked.public_key!r})"
    assert "AGE-SECRET-KEY" not in repr(unlocked) + str(unlocked)
    with pytest.raises(TypeError):
        pickle.dumps(unlocked)
