import pytest

from vigil.domain import Identifier, IdentifierKind
from vigil.domain.identifiers import normalise

SAME = [
    (IdentifierKind.PHONE, "07700 900461", "+447700900461"),
    (IdentifierKind.PHONE, "+44 (0)7700-900461", "+447700900461"),
    (IdentifierKind.PHONE, "0044 7700 900461", "+447700900461"),
    (IdentifierKind.EMAIL, " Sam.Testperson@Example.COM ", "sam.testperson@example.com"),
    (IdentifierKind.ADDRESS, "Flat 2, 14 Elm Rd, London e62ab", "FLAT 2 14 ELM ROAD LONDON E6 2AB"),
    (
        IdentifierKind.ADDRESS,
        "flat 2 14 ELM ROAD london E6  2AB",
        "FLAT 2 14 ELM ROAD LONDON E6 2AB",
    ),
    (IdentifierKind.HANDLE, "@Night_Owl", "night_owl"),
    (IdentifierKind.NAME, "Seán O'Testperson", "sean otestperson"),
    (IdentifierKind.ALIAS, "  Big   Tee ", "big tee"),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), SAME)
def test_normalised_forms(kind, raw, expected):
    assert normalise(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "says"),
    [
        (IdentifierKind.PHONE, "not a phone", "not a phone number"),
        (IdentifierKind.PHONE, "12", "not a possible phone number"),
        (IdentifierKind.EMAIL, "nobody-at-example", "not an e-mail address"),
        (IdentifierKind.ADDRESS, " ,. ", "at least one word"),
        (IdentifierKind.HANDLE, "two words", "not an online handle"),
    ],
)
def test_bad_identifiers_say_why(kind, raw, says):
    with pytest.raises(ValueError, match=says):
        normalise(kind, raw)


def test_identifier_value_object_normalises_and_checks():
    ident = Identifier(kind="phone", value="07700 900461")
    assert ident.normalised == "+447700900461"
    with pytest.raises(ValueError, match="normalised form should be"):
        Identifier(kind="phone", value="07700 900461", normalised="+440000")
