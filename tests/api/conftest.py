"""Helpers for the API tests: a signed-in client per user, JSON requests, ETags."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.domain import UserRole


class Api:
    """A Django test client signed in (password and second factor) as one user, speaking JSON
    to /api/."""

    def __init__(self, username: str | None = None, **client_options: Any) -> None:
        self.client = Client(**client_options)
        if username:
            sign_in(self.client, username)

    def get(self, path: str, **headers: str):
        return self.client.get(f"/api{path}", headers=headers)

    def post(self, path: str, body: Any = None, **headers: str):
        return self.client.post(
            f"/api{path}", body if body is not None else {}, "application/json", headers=headers
        )

    def delete(self, path: str, **headers: str):
        return self.client.delete(f"/api{path}", headers=headers)

    def etag(self, reference: str) -> str:
        response = self.get(f"/cases/{reference}")
        assert response.status_code == 200, response.content
        return response["ETag"]


@pytest.fixture
def as_user(db):
    """``as_user(username)``: an ``Api`` signed in as that user."""
    return Api


@pytest.fixture
def case(officer):
    """S-1: a suspicious death opened by the officer."""
    services.open_case(officer, "S-1", suspicious_report(), known_at=T0)
    return "S-1"


@pytest.fixture
def panel(db):
    return make_user("panel1", UserRole.PANEL_MEMBER)


@pytest.fixture
def admin(db):
    return make_user("admin1", UserRole.ADMINISTRATOR)
