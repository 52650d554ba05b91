"""Identifiers and names written in free text: a statement that gives the caller's number, a
note that names 'Gabriel', a liaison summary with an address.

:func:`found_in` reads one text and returns what it found, each normalised as the same
identifier recorded on a person is normalised (:mod:`vigil.domain.identifiers`), so that a
number written in a friend's statement on one case is the caller's phone on another:

- phone numbers: ``phonenumbers``' ``PhoneNumberMatcher`` (region GB by default), in E.164;
- e-mail addresses and online handles ('@name');
- UK postcodes, and street addresses (a house number, one to three capitalised words and a
  street word such as Road or Close, then any town and postcode);
- names: two capitalised words ('Sam Testperson'), and single capitalised words that may be a
  first name ('Gabriel'), for comparing with the first names on another case. Sentence words
  ('The', 'After'), months and days are left out; a first name alone weighs by how common it
  is (:mod:`vigil.linkage.frequency`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from vigil.domain.identifiers import (
    DEFAULT_REGION,
    normalise_address,
    normalise_email,
    normalise_handle,
    normalise_name,
)

MIN_PHONE_DIGITS = 9
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_])")
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_ANY_CASE_POSTCODE = re.compile(POSTCODE.pattern, re.IGNORECASE)
_STREET_WORDS = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Court|Ct|Drive|Dr|Gardens|Gdns|Place|Pl|"
    "Square|Sq|Terrace|Tce|Way|Crescent|Cres|Grove|Gr|Hill|Walk|Row|Mews|Parade|Green|Park"
)
_ADDRESS = re.compile(
    r"\b(?:Flat \d+[A-Za-z]?,? )?(?P<street>\d+[A-Za-z]?,? (?:[A-Z][a-z'\-]+ ){1,3}"
    rf"(?:{_STREET_WORDS})\b)\.?"
    r"(?:,? (?!(?:and|on|in|at|the|with)\b)[A-Z][a-z]+(?: [A-Z][a-z]+)?)?"
    r"(?:,? [A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})?"
)
_FULL_NAME = re.compile(r"\b([A-Z][a-z'\-]+)\s+([A-Z][a-z'\-]+)\b")
_WORD = re.compile(r"\b[A-Z][a-z'\-]+\b")
# Capitalised words that are not names however often they start a sentence.
_NOT_NAMES = """
    a about after again all also an and another are as at away back be because been before
    being both but by called came can could did do does down during each even every few
    for found from had has have he her here him his how i if in into is it its just later
    left made many may me more most much my never no nor not now of off on once one only or
    other our out over police said saw she should so some still such than that the their
    them then there these they this those through to too two under until up very was we
    were what when where which while who why will with would yes yet you your
    mr mrs ms miss dr st
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    flat london
"""
NOT_NAMES = frozenset(_NOT_NAMES.split()) | frozenset(_STREET_WORDS.lower().split("|"))


@dataclass(frozen=True)
class Found:
    """What one text holds: identifier keys ('phone:+447700900461', 'postcode:E6 2AB'), full
    names and single words that may be first names, all normalised."""

    identifiers: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)


def postcode_of(normalised_address: str) -> str | None:
    """The postcode in a normalised address ('14 ELM ROAD LONDON E6 2AB' -> 'E6 2AB')."""
    found = POSTCODE.findall(normalised_address)
    return f"{found[-1][0]} {found[-1][1]}" if found else None


def _phones(text: str, region: str) -> set[str]:
    found = set()
    # POSSIBLE, not the default VALID (Ofcom's drama range, used in synthetic data, is possible
    # but not valid), with at least nine national digits so that dates and times are not taken.
    for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.POSSIBLE):
        if len(str(match.number.national_number)) >= MIN_PHONE_DIGITS:
            found.add(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
    return found


def found_in(text: str | None, region: str = DEFAULT_REGION) -> Found:
    """Identifiers and names in ``text`` (kinds as ``profile.identifier_key`` keys them, but
    phones not yet split into a person's and an organisation's)."""
    result = Found()
    if not text:
        return result
    result.identifiers.update(f"phone:{p}" for p in _phones(text, region))
    emails = {normalise_email(e) for e in _EMAIL.findall(text)}
    result.identifiers.update(f"email:{e}" for e in emails)
    result.identifiers.update(f"handle:{normalise_handle(h)}" for h in _HANDLE.findall(text))
    for match in _ADDRESS.finditer(text):
        result.identifiers.add(f"address:{normalise_address(match.group(0))}")
    for outward, inward in POSTCODE.findall(text.upper()):
        if re.search(rf"\b{outward}\s*{inward}\b", text):  # written in capitals, as postcodes are
            result.identifiers.add(f"postcode:{outward} {inward}")
    for first, last in _FULL_NAME.findall(text):
        if first.lower() not in NOT_NAMES and last.lower() not in NOT_NAMES:
            result.names.add(normalise_name(f"{first} {last}"))
    for word in _WORD.findall(text):
        if word.lower() not in NOT_NAMES and len(word) > 1:
            result.first_names.add(normalise_name(word))
    return result


def identifier_spans(text: str | None, region: str = DEFAULT_REGION) -> list[tuple[int, int, str]]:
    """Where ``text`` writes a phone number, an e-mail address, an online handle or a postal
    address: (start, end, key), in order, so that a caller can keep one out of a text it copies
    (a reporter's own number or address, say). Phones, e-mail addresses and handles are keyed
    as ``found_in`` keys them ('phone:+447700900461'); a street address by its house number
    and street alone ('street:14 ELM ROAD', whatever flat, town and postcode go with it), its
    span the whole address; a postcode, in capitals or not, by itself ('postcode:E6 2AB'),
    also where it ends an address (a span inside another)."""
    if not text:
        return []
    spans: list[tuple[int, int, str]] = []
    for found in _ADDRESS.finditer(text):
        street = normalise_address(found.group("street"))
        end = found.end() - found.group(0).endswith(".")  # a full stop ends the sentence
        spans.append((found.start(), end, f"street:{street}"))
    for found in _ANY_CASE_POSTCODE.finditer(text):
        postcode = f"{found[1]} {found[2]}".upper()
        spans.append((found.start(), found.end(), f"postcode:{postcode}"))
    for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.POSSIBLE):
        if len(str(match.number.national_number)) >= MIN_PHONE_DIGITS:
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            spans.append((match.start, match.end, f"phone:{e164}"))
    for found in _EMAIL.finditer(text):
        spans.append((found.start(), found.end(), f"email:{normalise_email(found.group(0))}"))
    for found in _HANDLE.finditer(text):
        spans.append((found.start(), found.end(), f"handle:{normalise_handle(found.group(1))}"))
    return sorted(spans)
