"""Normalising identifiers so the same phone, address or name on two cases is recognisable."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from vigil.domain.enums import IdentifierKind

DEFAULT_REGION = "GB"

_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")
_ABBREVIATIONS = {
    "RD": "ROAD",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "LN": "LANE",
    "CT": "COURT",
    "DR": "DRIVE",
    "PL": "PLACE",
    "SQ": "SQUARE",
    "CRES": "CRESCENT",
    "GDNS": "GARDENS",
    "TCE": "TERRACE",
    "CL": "CLOSE",
    "GRN": "GREEN",
    "GR": "GROVE",
    "PK": "PARK",
    "HSE": "HOUSE",
    "APT": "FLAT",
    "APARTMENT": "FLAT",
    "NO": "",
}


def _fold_text(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


PHONE_EXAMPLE = "enter it in a valid format, like 07700 900123 or +44 20 7946 0000"


def normalise_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """E.164; ValueError in plain words (never the phone library's own message) otherwise."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"'{value}' is not a phone number: {PHONE_EXAMPLE}") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"'{value}' is not a possible phone number: {PHONE_EXAMPLE}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


#: Numbers an organisation answers, not a person: freephone (0800), shared-cost (0845),
#: premium-rate (09) and non-geographic company numbers (03). A hostel, a taxi firm or a helpline
#: is on many unrelated cases, so sharing one says far less than sharing a person's mobile.
ORGANISATION_NUMBER_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
    }
)


def is_organisation_number(normalised: str) -> bool:
    """True for an E.164 number (as :func:`normalise_phone` writes it) of an organisation's kind
    by the numbering plan ('+448001234567' freephone); False for a person's number or one the
    plan does not know."""
    try:
        number = phonenumbers.parse(normalised, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in ORGANISATION_NUMBER_TYPES


def normalise_email(value: str) -> str:
    cleaned = value.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain:
        raise ValueError(f"'{value}' is not an e-mail address: enter it like name@example.com")
    return cleaned


def normalise_address(value: str) -> str:
    """Upper case, no punctuation, common abbreviations spelt out, UK postcode as 'IG11 7QR'.

    'Flat 2, 14 St. Margaret's Rd, Barking ig117qr' -> 'FLAT 2 14 ST MARGARETS ROAD BARKING
    IG11 7QR'. 'ST' is left alone: it is Street after a name and Saint before one.
    """
    text = _fold_text(value).upper().replace("'", "")
    text = _UK_POSTCODE.sub(lambda m: f" {m.group(1)} {m.group(2)} ", text)
    tokens = re.sub(r"[^A-Z0-9 ]+", " ", text).split()
    expanded = [_ABBREVIATIONS.get(token, token) for token in tokens]
    result = " ".join(token for token in expanded if token)
    if not result:
        raise ValueError("an address needs at least one word or number")
    return result


def normalise_name(value: str) -> str:
    """Lower case, accents and punctuation removed: "O'Brien, Seán" -> 'obrien sean'."""
    text = _fold_text(value).lower().replace("'", "").replace("\u2019", "")
    result = " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())
    if not result:
        raise ValueError("a name needs at least one letter")
    return result


def normalise_handle(value: str) -> str:
    result = value.strip().lstrip("@").lower()
    if not result or " " in result:
        raise ValueError(f"'{value}' is not an online handle")
    return result


def normalise(kind: IdentifierKind, value: str, region: str = DEFAULT_REGION) -> str:
    """The canonical form of an identifier; ValueError with the reason if it cannot be one."""
    if kind is IdentifierKind.PHONE:
        return normalise_phone(value, region)
    if kind is IdentifierKind.EMAIL:
        return normalise_email(value)
    if kind is IdentifierKind.ADDRESS:
        return normalise_address(value)
    if kind is IdentifierKind.HANDLE:
        return normalise_handle(value)
    return normalise_name(value)
