"""Every error under /api/ is a JSON problem, never an HTML page: an unknown path, a method the
path does not take, a server error, a CSRF failure, a body too large."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from vigil.api import cases as case_routes


def problem(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["error"] == error and body["reason"], body
    assert b"<html" not in response.content.lower()
    return body


@pytest.mark.parametrize("path", ["/no-such-thing", "/cases/S-1/no-such-part/x", "/"])
def test_an_unknown_api_path_is_a_json_404(case, as_user, path):
    problem(as_user("officer1").get(path), 404, "not_found")


def test_an_unknown_api_path_is_a_json_404_without_a_session_too(db):
    problem(Api().get("/no-such-thing"), 404, "not_found")


def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(case, as_user):
    response = as_user("officer1").delete("/cases")
    problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_server_error_is_a_json_500_that_tells_nothing_of_its_cause(case, as_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(case_routes.services, "list_cases", broken)
    api = as_user("officer1", raise_request_exception=False)
    body = problem(api.get("/cases"), 500, "server_error")
    assert "secret" not in body["reason"]


def test_a_csrf_failure_is_a_json_403(case, as_user):
    api = as_user("officer1", enforce_csrf_checks=True)
    body = problem(api.post("/cases", {"reference": "X-1"}), 403, "csrf")
    assert "X-CSRFToken" in body["reason"]


def test_a_body_too_large_is_a_json_413(case, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    api = as_user("officer1")
    body = {"reference": "X-1", "report": {"circumstances": "x" * 2_000}}
    problem(api.post("/cases", body), 413, "too_large")


def test_outside_the_api_a_missing_page_is_still_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code in (302, 404)
    assert not response["Content-Type"].startswith("application/json")
