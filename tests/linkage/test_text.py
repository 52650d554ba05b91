"""Identifiers and names written in free text, and the deceased's own identifiers, in the
profile: what Barking's investigations had on paper and never matched."""

from __future__ import annotations

import pytest

from vigil.domain import Role
from vigil.linkage.features import BY_NAME
from vigil.linkage.text import found_in, identifier_spans

from .factories import person, profile

TEXTS: list[tuple[str, set[str]]] = [
    ("His number was 07700 900461.", {"phone:+447700900461"}),
    ("Ring +44 7700 900 462 or 020 7946 0001", {"phone:+447700900462", "phone:+442079460001"}),
    ("On 12 June 2015 at 10.30, born 1990-01-02", set()),  # dates and times are not phones
    ("wrote to Sam.Test@Example.com twice", {"email:sam.test@example.com"}),
    ("he used the name @sammy_t online", {"handle:sammy_t"}),
    (
        "lived at Flat 2, 14 Elm Rd, London E6 2AB",
        {
            "address:FLAT 2 14 ELM ROAD LONDON E6 2AB",
            "postcode:E6 2AB",
        },
    ),
    ("somewhere near IG11 7QR", {"postcode:IG11 7QR"}),
    ("nothing here", set()),
]


@pytest.mark.parametrize(("text", "keys"), TEXTS)
def test_identifiers_found_in_text(text: str, keys: set[str]) -> None:
    assert found_in(text).identifiers == keys


def test_identifier_spans_give_where_each_is_written() -> None:
    """What a copier needs to keep one out of a text: an address is keyed by house number and
    street alone and spans the whole address (but a sentence's full stop); its postcode is a
    span of its own inside it, and a postcode is found in any case."""
    text = "Write to Flat 2, 14 Elm Rd, London E6 2AB or text 07700 900461. Near e6 2ab."
    spans = [(text[start:end], key) for start, end, key in identifier_spans(text)]
    assert spans == [
        ("Flat 2, 14 Elm Rd, London E6 2AB", "street:14 ELM ROAD"),
        ("E6 2AB", "postcode:E6 2AB"),
        ("07700 900461", "phone:+447700900461"),
        ("e6 2ab", "postcode:E6 2AB"),
    ]
    short = "He lived at 3 Oak Rd."
    assert [short[start:end] for start, end, _ in identifier_spans(short)] == ["3 Oak Rd"]


def test_names_and_first_names_found_in_text() -> None:
    found = found_in("I am sorry. Gabriel knows why. After the party Sam Testperson left.")
    assert found.names == {"sam testperson"}
    assert {"gabriel", "sam", "testperson"} <= found.first_names
    assert not {"after", "i", "the"} & found.first_names


def test_the_deceased_home_address_is_the_callers_address_on_another_case() -> None:
    a = profile(
        "VGL-A",
        person("p1", Role.CALLER, name="Sam Testperson", address="14 Elm Rd, London E6 2AB"),
    )
    b = profile(
        "VGL-B", deceased={"name": "Gabriel Testvictim", "home_address": "14 Elm Road London e62ab"}
    )
    got = BY_NAME["identifiers"].compare(a.row, b.row)
    assert got.level == 1 and "address:14 ELM ROAD LONDON E6 2AB" in got.value
    assert b.roles["address:14 ELM ROAD LONDON E6 2AB"] == (
        "home of the deceased (Gabriel Testvictim)",
    )


def test_a_number_in_a_statement_is_the_callers_phone_on_another_case() -> None:
    a = profile("VGL-A", person("p1", Role.CALLER, name="Sam Testperson", phone="07700 900461"))
    b = profile(
        "VGL-B",
        person(
            "p2",
            Role.FRIEND,
            name="Jo Testperson",
            statement="He met a man online who gave him 07700 900461.",
        ),
        deceased={"name": "Chris Testvictim"},
    )
    assert b.roles["phone:+447700900461"] == ("written in the statement of Jo Testperson",)
    got = BY_NAME["identifiers"].compare(a.row, b.row)
    assert (got.level, got.value) == (0, ("phone:+447700900461",))


def test_a_first_name_in_the_note_is_the_deceased_on_another_case() -> None:
    b = profile("VGL-B", deceased={"name": "Gabriel Testvictim"})
    c = profile(
        "VGL-C",
        deceased={"name": "Chris Testvictim"},
        scene={"note_present": True, "note_description": "I took it with Gabriel. Sorry."},
    )
    assert c.texts["gabriel"] == "the note" and "gabriel" in c.row["text_first_names"]
    got = BY_NAME["text_names"].compare(b.row, c.row)
    assert (got.level, got.value) == (1, (("gabriel", 1),))  # Gabriel: a rare first name


def test_a_case_does_not_mention_its_own_people() -> None:
    a = profile(
        "VGL-A",
        person("p1", Role.FRIEND, name="Jo Testperson", statement="Jo Testperson saw Alex."),
    )
    assert a.row["text_names"] == [] and a.row["text_first_names"] == []
