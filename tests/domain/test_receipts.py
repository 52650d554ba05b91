"""Receipt codes, their slow lookup, and portal form tokens."""

import math
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from vigil.domain import receipts
from vigil.domain.receipts import (
    RECEIPT_LOOKUP_CHARS,
    RECEIPT_WORDS,
    TOKEN_DIGEST_CHARS,
    TokenError,
    check_token,
    issue_token,
    new_receipt_code,
    normalise_receipt_code,
    receipt_entropy_bits,
    receipt_lookup,
    token_digest,
    wordlist,
)

PEPPER = secrets.token_bytes(32)
SECRET = secrets.token_bytes(32)
SHOWN = datetime(2025, 3, 7, 21, 30, tzinfo=UTC)
MIN_AGE, MAX_AGE = 3, 3600


def test_wordlist_is_the_eff_large_list_without_hyphenated_words():
    words = wordlist()
    assert len(words) == len(set(words)) == receipts.EFF_LARGE_LIST_SIZE - 4
    assert all(re.fullmatch("[a-z]+", word) for word in words)
    assert {"abacus", "zoom"} <= set(words)
    assert not {"t-shirt", "yo-yo"} & set(words)


def test_entropy_is_computed_from_the_list_and_above_80_bits():
    assert receipt_entropy_bits() == pytest.approx(RECEIPT_WORDS * math.log2(len(wordlist())))
    assert receipt_entropy_bits() >= 80


def test_a_code_is_seven_listed_words_already_normal():
    code = new_receipt_code()
    words = code.split(" ")
    assert len(words) == RECEIPT_WORDS
    assert set(words) <= set(wordlist())
    assert normalise_receipt_code(code) == code


def test_codes_come_from_secrets(monkeypatch):
    picks = iter(range(RECEIPT_WORDS))
    monkeypatch.setattr(receipts.secrets, "choice", lambda words: words[next(picks)])
    assert new_receipt_code() == " ".join(wordlist()[:RECEIPT_WORDS])


def test_codes_differ():
    codes = {new_receipt_code() for _ in range(200)}
    assert len(codes) == 200


@pytest.mark.parametrize(
    "typed",
    [
        "Apple  banana-Cherry",
        "apple banana cherry",
        "  APPLE\tbanana\ncherry ",
        "apple - banana -- cherry",
        "apple\u2014banana\u2013cherry",  # dashes a phone may put in
        "apple_banana_cherry",
        "\uff21pple banana cherry",  # a full-width A
    ],
)
def test_normalisation(typed):
    assert normalise_receipt_code(typed) == "apple banana cherry"


def test_different_words_stay_different():
    assert normalise_receipt_code("apple banana") != normalise_receipt_code("applebanana")


def test_lookup_is_deterministic_and_ignores_how_the_code_was_typed():
    code = new_receipt_code()
    first = receipt_lookup(code, PEPPER)
    assert re.fullmatch(f"[0-9a-f]{{{RECEIPT_LOOKUP_CHARS}}}", first)
    assert receipt_lookup(code.upper().replace(" ", "-"), PEPPER) == first


def test_lookup_depends_on_the_pepper_and_the_code():
    code = new_receipt_code()
    first = receipt_lookup(code, PEPPER)
    assert receipt_lookup(code, secrets.token_bytes(32)) != first
    assert receipt_lookup(code + " abacus", PEPPER) != first


def test_lookup_refuses_a_short_pepper():
    with pytest.raises(ValueError, match="pepper"):
        receipt_lookup("apple banana", b"short")


def later(seconds: float) -> datetime:
    return SHOWN + timedelta(seconds=seconds)


def refusal(token: str, at: datetime, **kwargs) -> str:
    with pytest.raises(TokenError) as caught:
        check_token(token, kwargs.pop("secret", SECRET), at, MIN_AGE, MAX_AGE, **kwargs)
    return caught.value.reason


@pytest.mark.parametrize("age", [MIN_AGE, 60, MAX_AGE])
def test_token_accepted_inside_its_window(age):
    check_token(issue_token(SECRET, SHOWN), SECRET, later(age), MIN_AGE, MAX_AGE)


@pytest.mark.parametrize(
    ("age", "says"),
    [
        (0, "too soon"),
        (MIN_AGE - 1, "too soon"),
        (MAX_AGE + 1, "expired"),
        (-5, "in the future"),
    ],
)
def test_token_refused_outside_its_window(age, says):
    assert says in refusal(issue_token(SECRET, SHOWN), later(age))


def test_tampered_tokens_are_refused():
    token = issue_token(SECRET, SHOWN)
    issued, nonce, signature = token.split(".")
    other_hex = {c: "0" if c != "0" else "1" for c in "0123456789abcdef"}
    tampered = [
        f"{int(issued) - 600}.{nonce}.{signature}",  # made to look older than it is
        f"{issued}.{other_hex[nonce[0]]}{nonce[1:]}.{signature}",
        f"{issued}.{nonce}.{signature[:-1]}{other_hex[signature[-1]]}",
    ]
    for forged in tampered:
        assert "not issued by this portal" in refusal(forged, later(60))


def test_a_token_from_another_secret_or_form_is_refused():
    token = issue_token(secrets.token_bytes(32), SHOWN)
    assert "not issued by this portal" in refusal(token, later(60))
    reply = issue_token(SECRET, SHOWN, purpose="reply")
    assert "not issued by this portal" in refusal(reply, later(60))
    check_token(reply, SECRET, later(60), MIN_AGE, MAX_AGE, purpose="reply")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: "",
        lambda t: "not-a-token",
        lambda t: t + "0",
        lambda t: t.upper(),
        lambda t: t + ".extra",
        lambda t: " " + t,
        lambda t: t.replace(".", ":"),
        lambda t: "9" * 5000 + t,
    ],
)
def test_malformed_tokens_are_refused(mangle):
    assert "malformed" in refusal(mangle(issue_token(SECRET, SHOWN)), later(60))


def test_two_tokens_for_the_same_moment_differ_and_digest_apart():
    first, second = issue_token(SECRET, SHOWN), issue_token(SECRET, SHOWN)
    assert first != second
    assert token_digest(first) == token_digest(first)
    assert token_digest(first) != token_digest(second)
    assert re.fullmatch(f"[0-9a-f]{{{TOKEN_DIGEST_CHARS}}}", token_digest(first))


def test_programming_errors_are_not_token_refusals():
    token = issue_token(SECRET, SHOWN)
    with pytest.raises(ValueError, match="timezone-aware"):
        check_token(token, SECRET, SHOWN.replace(tzinfo=None), MIN_AGE, MAX_AGE)
    with pytest.raises(ValueError, match="min_age_s"):
        check_token(token, SECRET, later(60), MAX_AGE, MIN_AGE)
    with pytest.raises(ValueError, match="secret"):
        issue_token(b"short", SHOWN)
