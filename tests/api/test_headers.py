"""Every API answer with case data is never stored, and carries the Content-Security-Policy."""

from __future__ import annotations


def test_an_api_answer_with_case_data_is_never_stored(case, as_user):
    response = as_user("officer1").get("/cases/S-1")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_refusal_is_never_stored_either(case, as_user):
    response = as_user("officer1").get("/cases/NO-SUCH")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
