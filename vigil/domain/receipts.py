"""Receipt codes and form tokens for the public portal, which has no sign-in.

A person who reports through the portal is given a *receipt code*, seven random words, and comes
back with it to read replies (as SecureDrop's sources do with their codenames). The store keeps
only ``receipt_lookup(code, pepper)``, a slow keyed hash, so a stolen database cannot be searched
for codes quickly, and the code itself is never stored.

A *form token* is put in each portal form when it is shown and checked when it is posted: a
token posted sooner than a person could fill the form in is a bot, one too old is refused, and
the caller keeps ``token_digest`` of every token spent to refuse a replay. No IP address is
needed, and none is kept.

Pure: no Django and no writes. The one read is the wordlist that ``xkcdpass`` ships, loaded once
on first use.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.resources
import math
import re
import secrets
import unicodedata
from datetime import datetime

from argon2.low_level import Type, hash_secret_raw

RECEIPT_WORDS = 7
"""Words in a receipt code: seven from the EFF large list give about 90 bits (see
``receipt_entropy_bits``), comfortably above 80 bits, and still short enough to write
down."""

EFF_LARGE_LIST_SIZE = 6**5
"""The EFF large wordlist has 7,776 words (five dice); a different count means ``xkcdpass`` no
longer ships it as it was, and codes are not made from an unknown list."""

# argon2id parameters: RFC 9106 (Biryukov et al., 2021), section 4, the second recommended
# option (t=3, p=4, 64 MiB, 128-bit salt, 256-bit tag), for machines without 2 GiB to spare per
# hash. About 0.2 s on one core: unnoticed by a person who signs in with a code, ruinous for
# someone who stole the database (and the pepper) and wants to try codes against it.
LOOKUP_TIME_COST = 3
LOOKUP_MEMORY_KIB = 64 * 1024
LOOKUP_PARALLELISM = 4
LOOKUP_HASH_BYTES = 32
MIN_PEPPER_BYTES = 16
"""The pepper is argon2id's salt: RFC 9106 asks for 128 bits. It is the same for every code
(so that a code can be looked up), secret, and kept outside the database."""

RECEIPT_LOOKUP_CHARS = LOOKUP_HASH_BYTES * 2
"""Length of a lookup, for the column that stores it."""

TOKEN_DIGEST_CHARS = 64
"""Length of a ``token_digest``, for the column of spent tokens."""

MIN_SECRET_BYTES = 32
"""The form-token signing secret: 256 bits, the size of HMAC-SHA256's output."""

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_]+")
_TOKEN = re.compile(r"([0-9]{1,12})\.([0-9a-f]{32})\.([0-9a-f]{64})", re.ASCII)
_TOKEN_MAX_CHARS = 12 + 1 + 32 + 1 + 64


@functools.cache
def wordlist() -> tuple[str, ...]:
    """The words receipt codes are made of: the EFF large wordlist (Bonneau, EFF, 2016) as
    ``xkcdpass`` ships it, less its four hyphenated words (drop-down, felt-tip, t-shirt, yo-yo),
    so that a code read back with hyphens for spaces still means the same words."""
    resource = importlib.resources.files("xkcdpass").joinpath("static", "eff-long")
    lines = [line.strip() for line in resource.read_text(encoding="utf-8").splitlines()]
    words = [line for line in lines if line]
    if len(words) != EFF_LARGE_LIST_SIZE or len(set(words)) != len(words):
        raise RuntimeError("xkcdpass no longer ships the EFF large wordlist as expected")
    return tuple(word for word in words if re.fullmatch("[a-z]+", word))


def receipt_entropy_bits() -> float:
    """Bits of entropy in a receipt code: ``RECEIPT_WORDS * log2(len(wordlist()))``,
    7 * log2(7772) = 90.5 bits."""
    return RECEIPT_WORDS * math.log2(len(wordlist()))


def new_receipt_code() -> str:
    """Seven words chosen uniformly and independently with ``secrets`` (about 90.5 bits of
    entropy), separated by single spaces, e.g. 'pending ramble thus oboe diagram unsaid wow'."""
    words = wordlist()
    return " ".join(secrets.choice(words) for _ in range(RECEIPT_WORDS))


def normalise_receipt_code(code: str) -> str:
    """The code as it is hashed: lower case, words separated by one space, whatever a person
    typed between them (spaces, hyphens, dashes, underscores)."""
    folded = unicodedata.normalize("NFKC", code).casefold()
    return " ".join(word for word in _SEPARATORS.split(folded) if word)


def receipt_lookup(code: str, pepper: bytes) -> str:
    """What the store keeps to find a submission by its receipt code: argon2id of the
    normalised code with ``pepper`` as salt, in hex (``RECEIPT_LOOKUP_CHARS`` characters).

    Deterministic, so the same code finds the same row; slow and keyed, so a stolen database is
    no quicker to search than guessing 90-bit codes. ValueError for a short pepper.
    """
    if len(pepper) < MIN_PEPPER_BYTES:
        raise ValueError(f"the receipt pepper must have at least {MIN_PEPPER_BYTES} bytes")
    digest = hash_secret_raw(
        secret=normalise_receipt_code(code).encode("utf-8"),
        salt=pepper,
        time_cost=LOOKUP_TIME_COST,
        memory_cost=LOOKUP_MEMORY_KIB,
        parallelism=LOOKUP_PARALLELISM,
        hash_len=LOOKUP_HASH_BYTES,
        type=Type.ID,
    )
    return digest.hex()


class TokenError(Exception):
    """A form token was refused; ``reason`` is a plain sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _seconds(now: datetime) -> int:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp())


def _mac(secret: bytes, purpose: str, issued: str, nonce: str) -> str:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the form-token secret must have at least {MIN_SECRET_BYTES} bytes")
    message = f"vigil-portal-form-token-v1\n{purpose}\n{issued}\n{nonce}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def issue_token(secret: bytes, now: datetime, *, purpose: str = "submit") -> str:
    """A token for one portal form shown at ``now``: 'issued.nonce.signature', where issued is
    whole seconds since 1970 and the signature is HMAC-SHA256 over the issue time, a random
    nonce and ``purpose`` (a token for one form is refused on another)."""
    issued = str(_seconds(now))
    nonce = secrets.token_hex(16)
    return f"{issued}.{nonce}.{_mac(secret, purpose, issued, nonce)}"


def check_token(
    token: str,
    secret: bytes,
    now: datetime,
    min_age_s: int,
    max_age_s: int,
    *,
    purpose: str = "submit",
) -> None:
    """Returns if ``token`` was issued by us for ``purpose`` between ``max_age_s`` and
    ``min_age_s`` seconds before ``now``; TokenError with the reason otherwise.

    The caller refuses a token whose ``token_digest`` it has already stored, and stores the
    digest of one it accepts.
    """
    if not 0 <= min_age_s <= max_age_s:
        raise ValueError("the ages must satisfy 0 <= min_age_s <= max_age_s")
    match = _TOKEN.fullmatch(token) if len(token) <= _TOKEN_MAX_CHARS else None
    if match is None:
        raise TokenError("The form token is malformed.")
    issued, nonce, signature = match.groups()
    if not hmac.compare_digest(signature, _mac(secret, purpose, issued, nonce)):
        raise TokenError("The form token was not issued by this portal for this form.")
    age = _seconds(now) - int(issued)
    if age < 0:
        raise TokenError("The form token was issued in the future.")
    if age < min_age_s:
        raise TokenError("The form was sent too soon after it was shown.")
    if age > max_age_s:
        raise TokenError("The form token has expired: load the form again.")


def token_digest(token: str) -> str:
    """SHA-256 of a token in hex (``TOKEN_DIGEST_CHARS`` characters): what the caller stores to
    refuse the token if it comes again."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
