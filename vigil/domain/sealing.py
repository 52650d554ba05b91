"""Sealing portal submissions to the safeguarding team's public key, and opening them again.

A report from the public portal is sealed as soon as it arrives: the web tier holds only the
team's public key, so what is stored can be read by nobody who takes the database or the web
server. The team's private key (its *identity*) is kept only passphrase-protected; a named
safeguarding officer types the passphrase, ``unlock_identity`` gives the identity in memory for
that one request, and ``open_sealed`` reads the report.

Why ``pyrage``: it binds ``rage``, the Rust implementation of the age format (age-encryption.org
/v1), which is specified, widely used and maintained. Keys are ordinary age keys
(``age1...`` public, ``AGE-SECRET-KEY-1...`` private), so an operator can check, back up or
recover everything with the ``age`` command-line tool without Vigil: a protected identity is
exactly what ``age -p`` writes, and ``age -d`` on it gives a key file for ``age -d -i``. The
passphrase protection is age's scrypt recipient (a memory-hard KDF with a work factor that
``rage`` tunes to about a second, then ChaCha20-Poly1305). Sealing to several recipients (the
team, an offline escrow key) is built into the format. PyNaCl's sealed boxes were the
alternative; they have no passphrase format and no tool an operator already has, so we would
write both ourselves.

Pure: no Django, no files; callers pass and receive bytes and strings. Errors are a
``SealingError`` whose ``problem`` says in a plain sentence what went wrong, and never contains
key material or a passphrase.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from collections.abc import Sequence
from typing import NoReturn

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

MIN_PASSPHRASE_LENGTH = 15
"""The fewest characters a team passphrase may have: the length NIST SP 800-63B-4 (2025,
'Password Verifiers') requires of a password that is the only thing guarding a secret, as this one
is once the protected identity has been copied."""

_MAGIC = b"age-encryption.org/v1\n"
_ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
_ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
_STANZA = re.compile(rb"^-> (\S+)", re.MULTILINE)
_SECRET_KEY = re.compile(r"^AGE-SECRET-KEY-1[0-9A-Z]+$")

# rage's own words for the failures we tell apart; anything else is reported as damage.
_NO_MATCHING_KEY = "No matching keys found"
_WRONG_PASSPHRASE = "Decryption failed"
_EXCESSIVE_WORK = "Excessive work parameter"


class SealingProblem(enum.Enum):
    """What went wrong, each with the sentence a person is shown."""

    SHORT_PASSPHRASE = (
        f"The passphrase is too short: use at least {MIN_PASSPHRASE_LENGTH} characters."
    )
    WRONG_PASSPHRASE = "The passphrase does not unlock this identity."
    DAMAGED_IDENTITY = "The protected identity is damaged or is not an age file."
    NOT_PASSPHRASE_PROTECTED = "This is not a passphrase-protected identity."
    TOO_COSTLY = "The protected identity asks for more work to unlock than this server allows."
    NO_RECIPIENTS = "A submission must be sealed to at least one public key."
    BAD_PUBLIC_KEY = "This is not an age public key (they begin 'age1')."
    PRIVATE_KEY_GIVEN = (
        "A private key was given where a public key belongs; give its 'age1...' public key."
    )
    DAMAGED_SUBMISSION = "The sealed submission is damaged or is not an age file."
    OTHER_KEY = "The submission was not sealed to this team's key."
    PASSPHRASE_BLOB = "This is protected by a passphrase, not sealed to a team's key."

    @property
    def sentence(self) -> str:
        """The sentence shown to a person."""
        return str(self.value)


class SealingError(Exception):
    """Sealing or opening failed; ``problem`` says why, ``str()`` is its sentence."""

    def __init__(self, problem: SealingProblem) -> None:
        super().__init__(problem.sentence)
        self.problem = problem


def _fail(problem: SealingProblem) -> NoReturn:
    raise SealingError(problem) from None


class TeamIdentity:
    """The team's private key, unlocked in memory for one request.

    It shows only its public key when printed or logged, and refuses to be pickled so that it
    cannot end up in a session, a cache or a task queue by accident.
    """

    __slots__ = ("_identity", "public_key")

    def __init__(self, identity: x25519.Identity) -> None:
        self._identity = identity
        self.public_key: str = str(identity.to_public())

    def __repr__(self) -> str:
        return f"TeamIdentity(public_key={self.public_key!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("an unlocked identity lives only in memory and cannot be pickled")

    def _as_age(self) -> x25519.Identity:
        return self._identity


def _identity_file(identity: x25519.Identity) -> bytes:
    """The text of an age identity file, as ``age-keygen`` writes it (less the date)."""
    return f"# public key: {identity.to_public()}\n{identity}\n".encode()


def _protect(identity: x25519.Identity, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        _fail(SealingProblem.SHORT_PASSPHRASE)
    return age_passphrase.encrypt(_identity_file(identity), passphrase)


def new_team_identity(passphrase: str) -> tuple[str, bytes]:
    """A new team key pair: its public key, and its private key protected by ``passphrase``.

    Store both; the private key never leaves this function unprotected.
    """
    identity = x25519.Identity.generate()
    return str(identity.to_public()), _protect(identity, passphrase)


def _dearmor(blob: bytes) -> bytes | None:
    """The binary form of an ASCII-armored age file, or None when it is not one."""
    text = blob.strip()
    if not (text.startswith(_ARMOR_BEGIN) and text.endswith(_ARMOR_END)):
        return None
    body = b"".join(text[len(_ARMOR_BEGIN) : -len(_ARMOR_END)].split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None


def _stanza_kinds(blob: bytes) -> list[str] | None:
    """The kinds of key an age file is encrypted to (``X25519``, ``scrypt``, ...), read from
    its header, or None when ``blob`` is not an age file at all."""
    binary = _dearmor(blob) if blob.lstrip().startswith(_ARMOR_BEGIN) else blob
    if binary is None or not binary.startswith(_MAGIC):
        return None
    end = binary.find(b"\n--- ")
    if end < 0:
        return None
    return [kind.decode("ascii", "replace") for kind in _STANZA.findall(binary[:end])]


def unlock_identity(protected: bytes, passphrase: str) -> TeamIdentity:
    """The team's identity from its protected form, for one request.

    Takes about a second: age's scrypt work factor is what makes guessing the passphrase of a
    stolen copy slow. Also accepts what ``age -p`` (armored or not) writes from a key file.
    """
    kinds = _stanza_kinds(protected)
    if kinds is None:
        _fail(SealingProblem.DAMAGED_IDENTITY)
    if "scrypt" not in kinds:
        _fail(SealingProblem.NOT_PASSPHRASE_PROTECTED)
    try:
        text = age_passphrase.decrypt(protected, passphrase)
    except pyrage.DecryptError as error:
        message = str(error)
        if message.startswith(_WRONG_PASSPHRASE):
            _fail(SealingProblem.WRONG_PASSPHRASE)
        if message.startswith(_EXCESSIVE_WORK):
            _fail(SealingProblem.TOO_COSTLY)
        _fail(SealingProblem.DAMAGED_IDENTITY)
    keys = [
        line.strip()
        for line in text.decode("utf-8", "replace").splitlines()
        if _SECRET_KEY.match(line.strip())
    ]
    if len(keys) != 1:
        _fail(SealingProblem.DAMAGED_IDENTITY)
    try:
        return TeamIdentity(x25519.Identity.from_str(keys[0]))
    except pyrage.IdentityError:
        _fail(SealingProblem.DAMAGED_IDENTITY)


def change_passphrase(protected: bytes, old: str, new: str) -> bytes:
    """The same identity protected by a new passphrase (when an officer leaves the team)."""
    identity = unlock_identity(protected, old)
    return _protect(identity._as_age(), new)


def check_public_key(value: str) -> str:
    """``value`` without surrounding spaces if it is an age public key; SealingError if not.

    The message never repeats the value: a private key pasted by mistake must not reach a log.
    """
    key = value.strip()
    if key.upper().startswith("AGE-SECRET-KEY-"):
        _fail(SealingProblem.PRIVATE_KEY_GIVEN)
    if not key.startswith("age1"):
        _fail(SealingProblem.BAD_PUBLIC_KEY)
    try:
        x25519.Recipient.from_str(key)
    except pyrage.RecipientError:
        _fail(SealingProblem.BAD_PUBLIC_KEY)
    return key


def seal(plaintext: bytes, recipients: Sequence[str]) -> bytes:
    """``plaintext`` encrypted so that the holder of any one of ``recipients``' private keys,
    and nobody else, can read it. Binary age format."""
    if isinstance(recipients, str):
        raise TypeError("recipients is a sequence of public keys, not one string")
    if not recipients:
        _fail(SealingProblem.NO_RECIPIENTS)
    keys = [x25519.Recipient.from_str(check_public_key(key)) for key in recipients]
    return pyrage.encrypt(plaintext, keys)


def open_sealed(sealed: bytes, identity: TeamIdentity) -> bytes:
    """The plaintext of a sealed submission, read with the team's unlocked identity.

    A submission whose header was damaged is reported as not sealed to this key: age's
    recipient entries name no key, so the two cannot be told apart.
    """
    kinds = _stanza_kinds(sealed)
    if kinds is None:
        _fail(SealingProblem.DAMAGED_SUBMISSION)
    if "scrypt" in kinds:
        _fail(SealingProblem.PASSPHRASE_BLOB)
    try:
        return pyrage.decrypt(sealed, [identity._as_age()])
    except pyrage.DecryptError as error:
        if str(error).startswith(_NO_MATCHING_KEY):
            _fail(SealingProblem.OTHER_KEY)
        _fail(SealingProblem.DAMAGED_SUBMISSION)
