"""A bad identifier is refused in words a person can act on: what is wrong and an example of
what is right, never the phone library's own message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from vigil.domain import PersonEntry
from vigil.domain.enums import IdentifierKind
from vigil.domain.identifiers import normalise


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (
            "call me",
            "'call me' is not a phone number: enter it in a valid format, like 07700 900123",
        ),
        (
            "12",
            "'12' is not a possible phone number: enter it in a valid format, like 07700 900123",
        ),
        ("+", "'+' is not a phone number: enter it in a valid format, like 07700 900123"),
    ],
)
def test_a_bad_phone_number_says_how_to_write_one(raw: str, says: str) -> None:
    with pytest.raises(ValueError) as caught:
        normalise(IdentifierKind.PHONE, raw)
    message = str(caught.value)
    assert message.startswith(says)
    # phonenumbers' own messages ("The string supplied did not seem to be a phone number",
    # "Missing or invalid default region") never reach the reader
    assert "string supplied" not in message and "region" not in message.lower()


def test_a_bad_e_mail_address_gives_an_example() -> None:
    with pytest.raises(ValueError, match=r"like name@example\.com"):
        normalise(IdentifierKind.EMAIL, "nobody-at-example")


def test_the_words_reach_the_person_being_recorded() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonEntry(roles=["caller"], identifiers=[{"kind": "phone", "value": "call me"}])
    (error,) = caught.value.errors()
    assert error["loc"] == ("identifiers", 0)
    assert "like 07700 900123" in error["msg"]
