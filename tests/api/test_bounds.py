"""A value longer than its column is a 422 naming the field, on every database."""

from __future__ import annotations

import pytest

from vigil.domain import limits
from vigil.records import models as m

SEIZED = {
    "kind": "seized",
    "at": "2015-06-01T07:00:00Z",
    "from_holder": "scene",
    "to_holder": "PC 4821",
    "by": "PC 4821",
}


def write(api, path, body):
    return api.post(path, body, **{"If-Match": api.etag("S-1")})


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        (
            "/cases/S-1/exhibits",
            {"ref": "E-1", "description": "Cup", "seal_number": "S" * 65, "custody": [SEIZED]},
            "seal_number",
            "at most 64 characters",
        ),
        (
            "/cases/S-1/persons",
            {"ref": "P" * 101, "roles": ["caller"]},
            "ref",
            "at most 100 characters",
        ),
        (
            "/cases/S-1/persons",
            {
                "ref": "P-1",
                "roles": ["friend"],
                "identifiers": [{"kind": "address", "value": "1 Rd " * 60}],
            },
            "identifiers.0",
            "at most 300 are stored",
        ),
    ],
    ids=["seal_number", "person ref", "normalised identifier"],
)
def test_an_over_long_value_is_422_naming_the_field_and_nothing_is_written(
    case, as_user, path, body, field, words
):
    api = as_user("officer1")
    version = m.Case.objects.get().version
    response = write(api, path, body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert words in response.json()["reason"]
    assert not m.Exhibit.objects.exists() and not m.Person.objects.exists()
    assert m.Case.objects.get().version == version


def test_an_over_long_case_reference_is_422_naming_it(officer, as_user):
    response = as_user("officer1").post("/cases", {"reference": "R" * (limits.REFERENCE + 1)})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "reference"
    assert response.json()["reason"] == "has 65 characters; a case reference has at most 64"
    assert not m.Case.objects.exists()
