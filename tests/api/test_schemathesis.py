"""schemathesis against /api/openapi.json: every operation, with requests generated from the
document, signed in as a verified reviewing officer (the role with most permissions) with a
CSRF token, against Django's WSGI application in the test database. No request may get a
server error (5xx). Bounded: a few examples per operation, each under a generous deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.conftest import T0, suspicious_report
from tests.signin import sign_in
from vigil import services

CSRF = "vigilschemathesiscsrftoken012345"  # a 32-character secret: cookie and header agree


# Read through the application itself (the document needs no database). The pytest loader
# that reads it from a fixture (``schemathesis.pytest.from_fixture``) does not run on pytest 9.2.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Requests through the WSGI application use the test's database connection, as Django's
    test client arranges: Django would otherwise close it (inside the test's transaction, on
    PostgreSQL) when a request starts or finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(same_connection, linked_pair, sergeant) -> dict[str, dict[str, str]]:
    """A verified reviewing officer's session and CSRF token; a store with three cases, two of
    them linked."""
    services.open_case(sergeant, "S-1", suspicious_report(), known_at=T0)
    client = Client()
    sign_in(client, "sergeant1")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: cookie, "csrftoken": CSRF},
        "headers": {"X-CSRFToken": CSRF},
    }


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=timedelta(seconds=30),
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_gives_a_server_error(case, session):
    response = case.call(headers=session["headers"], cookies=session["cookies"])
    said = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    assert response.status_code < 500, said
    # the session and the CSRF token were accepted: the request reached the operation
    assert response.status_code != 401, said
    assert not (response.status_code == 403 and '"csrf"' in response.text), said
