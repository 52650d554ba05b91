"""Synthetic people: safe numbers and domains, stable refs, and people shared across cases."""

from __future__ import annotations

import re
from collections import defaultdict

from vigil.demo.names import FORBIDDEN_NAMES
from vigil.demo.people import LANDLINES, MOBILES, phone_variants
from vigil.domain.enums import IdentifierKind
from vigil.domain.identifiers import normalise_phone
from vigil.interchange.record import CaseRecord

SAFE_PHONES = {normalise_phone(n) for n in (*MOBILES, *LANDLINES)}


def test_drama_ranges_only() -> None:
    assert MOBILES[0] == "07700 900000" and MOBILES[-1] == "07700 900999"
    assert LANDLINES[0] == "020 7946 0000" and LANDLINES[-1] == "020 7946 0999"
    for number in ("07700 900123", "020 7946 0123"):
        assert {normalise_phone(v) for v in phone_variants(number)} == {normalise_phone(number)}


def test_identifiers_are_safe(records: list[CaseRecord]) -> None:
    kinds = set()
    for record in records:
        for person in record.persons:
            assert re.fullmatch(r"P-7-\d+", person.ref)
            for identifier in person.identifiers:
                kinds.add(identifier.kind)
                if identifier.kind is IdentifierKind.PHONE:
                    assert identifier.normalised in SAFE_PHONES
                if identifier.kind is IdentifierKind.EMAIL:
                    assert identifier.normalised.endswith(("@example.com", "@example.org"))
    assert kinds == set(IdentifierKind) - {IdentifierKind.NAME}


def test_a_person_is_the_same_on_every_case(records: list[CaseRecord]) -> None:
    seen: dict[str, tuple[object, ...]] = {}
    cases: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for person in record.persons:
            ids = tuple(sorted((i.kind, i.normalised) for i in person.identifiers))
            facts = (person.name, person.sex, person.date_of_birth, ids)
            assert seen.setdefault(person.ref, facts) == facts, person.ref
            cases[person.ref].add(record.reference)
    shared = [ref for ref, refs in cases.items() if len(refs) >= 2]
    assert len(shared) >= len(records) // 100
    assert any(len(cases[ref]) >= 3 for ref in shared)


def test_a_phone_belongs_to_one_person(records: list[CaseRecord]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for person in record.persons:
            for identifier in person.identifiers:
                if identifier.kind is IdentifierKind.PHONE:
                    owners[identifier.normalised].add(person.ref)
    assert owners
    assert all(len(refs) == 1 for refs in owners.values())


def test_shared_phones_link_cases(records: list[CaseRecord]) -> None:
    cases: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for person in record.persons:
            for identifier in person.identifiers:
                if identifier.kind is IdentifierKind.PHONE:
                    cases[identifier.normalised].add(record.reference)
    assert any(len(refs) >= 2 for refs in cases.values())


def test_no_forbidden_name_appears_anywhere(records: list[CaseRecord]) -> None:
    pattern = re.compile(r"\b(" + "|".join(FORBIDDEN_NAMES) + r")\b", re.IGNORECASE)
    for record in records:
        text = record.model_dump_json()
        assert not pattern.search(text), (record.reference, pattern.search(text))
