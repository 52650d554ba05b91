"""The API's list of a case's attachments: each with the SHA-256 taken at upload, for a reader
who may see people's identities; a hidden case answers as a missing one."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pytest
from django.test import Client

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.domain import UserRole
from vigil.services.casework import attachments

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def case(settings, tmp_path, officer):
    settings.VIGIL = replace(settings.VIGIL, attachments_dir=tmp_path / "attachments")
    services.open_case(officer, "API-1", suspicious_report(), known_at=T0)
    attachments.attach(officer, "API-1", io.BytesIO(PNG), "scene.png")
    return "API-1"


def client_for(username: str, role: UserRole) -> Client:
    make_user(username, role)
    client = Client()
    sign_in(client, username)
    return client


def test_the_list_gives_each_file_with_its_sha256(case):
    response = client_for("analyst1", UserRole.ANALYST).get("/api/cases/API-1/attachments")
    assert response.status_code == 200
    [item] = response.json()
    assert item["name"] == "scene.png" and item["kind"] == "PNG image"
    assert item["sha256"] == hashlib.sha256(PNG).hexdigest() and item["size"] == len(PNG)


def test_the_panel_may_not_list_attachments(case):
    response = client_for("panel1", UserRole.PANEL_MEMBER).get("/api/cases/API-1/attachments")
    assert response.status_code == 403
    assert response.json()["permission"] == "see_identities"


def test_a_hidden_case_answers_as_a_missing_one(case, sergeant):
    services.restrict_case(sergeant, case, ["sergeant1"])
    client = client_for("officer2", UserRole.RESPONSE_OFFICER)
    hidden = client.get("/api/cases/API-1/attachments")
    missing = client.get("/api/cases/NOPE-1/attachments")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["reason"].replace("API-1", "NOPE-1") == missing.json()["reason"]
