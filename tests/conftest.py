"""Shared fixtures: users with roles, and small factories for synthetic cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.stores import fresh_store  # noqa: F401  # a fixture for every test package
from vigil import services
from vigil.domain import Actor, DeathReport, PersonEntry, UserRole
from vigil.records import models as records

T0 = datetime(2015, 6, 1, 6, 30, tzinfo=UTC)
SYSTEM = Actor("test-system", UserRole.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings) -> None:
    """Argon2 with Django's parameters takes about 0.15 s a hash, and nearly every test makes
    users and signs them in: tests hash new passwords with MD5 (Django's advice for tests),
    unless marked ``real_password_hashing``; stored argon2 hashes still verify."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        fast = "django.contrib.auth.hashers.MD5PasswordHasher"
        settings.PASSWORD_HASHERS = [fast, *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path) -> None:
    """Each test's store is new, so its signed audit checkpoints go to a file of its own (not
    the default one under VIGIL_HOME, which belongs to the configured database)."""
    settings.VIGIL = replace(settings.VIGIL, audit_checkpoints=tmp_path / "audit-checkpoints.log")


@pytest.fixture(autouse=True)
def _portal_key_files(settings, tmp_path) -> None:
    """The portal's team key files (`vigil portal keys`, `vigil demo`) of each test in its own
    directory, never in VIGIL_HOME."""
    settings.VIGIL = replace(
        settings.VIGIL,
        portal_identity_file=tmp_path / "portal-identity",
        portal_public_key_file=tmp_path / "portal-key.pub",
    )


def make_user(username: str, role: UserRole) -> Actor:
    services.create_user(SYSTEM, username, role, "a-long-test-password-1", check_password=False)
    return services.actor_for(username)


@pytest.fixture
def officer(db) -> Actor:
    return make_user("officer1", UserRole.RESPONSE_OFFICER)


@pytest.fixture
def sergeant(db) -> Actor:
    return make_user("sergeant1", UserRole.REVIEWING_OFFICER)


@pytest.fixture
def investigator(db) -> Actor:
    return make_user("investigator1", UserRole.INVESTIGATOR)


def suspicious_report(**overrides: Any) -> DeathReport:
    """A young man found in a churchyard: every feature the Barking inquests named."""
    data: dict[str, Any] = {
        "reported_at": T0,
        "found_at": T0 - timedelta(minutes=20),
        "circumstances": "Found slumped against a wall by a dog walker.",
        "location": {
            "address": "St Testing's churchyard, London E6 2AB",
            "latitude": 51.5386,
            "longitude": 0.0811,
            "place_type": "churchyard",
        },
        "deceased": {
            "identified": True,
            "name": "Alex Testperson",
            "sex": "male",
            "age": 23,
            "known_illness": False,
        },
        "first_account": {
            "given_by": "Caller One",
            "given_by_role": "caller",
            "account": "He was fine at 4am and took something himself.",
            "fits_scene": False,
        },
        "scene": {
            "phone": "missing",
            "moved_after_death": True,
            "note_present": True,
            "bedding_or_clothing_disturbed": True,
        },
        "toxicology": {"status": "pending"},
    }
    for path, value in overrides.items():
        node = data
        *parents, leaf = path.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return DeathReport.model_validate(data)


def expected_report() -> DeathReport:
    return DeathReport.model_validate(
        {
            "reported_at": T0,
            "found_at": T0,
            "location": {"address": "4 Oak Close, London E6 1AA", "place_type": "home"},
            "deceased": {
                "identified": True,
                "name": "Pat Oldperson",
                "sex": "female",
                "age": 91,
                "known_illness": True,
            },
            "cause": {"status": "confirmed", "text": "heart failure"},
        }
    )


@pytest.fixture
def report_factory() -> Callable[..., DeathReport]:
    return suspicious_report


def ghb_death(ref, days, lat, lon, officer, **overrides):
    values = {
        "found_at": T0 + timedelta(days=days),
        "reported_at": T0 + timedelta(days=days, minutes=20),
        "location__latitude": lat,
        "location__longitude": lon,
        "toxicology__status": "confirmed",
        "toxicology__substances": ["ghb"],
    }
    report = suspicious_report(**{**values, **overrides})
    return services.open_case(officer, ref, report, known_at=T0 + timedelta(days=days))


@pytest.fixture
def analyst(db):
    return make_user("analyst1", UserRole.ANALYST)


@pytest.fixture
def linked_pair(officer, analyst):
    two_similar_deaths(officer)
    return records.CaseLink.objects.get(case_a__reference="L-1", case_b__reference="L-2")


def two_similar_deaths(officer) -> None:
    """GHB deaths L-1 and L-2, about 220 m and three weeks apart, the caller's phone on one a
    friend's on the other."""
    ghb_death("L-1", 0, 51.5386, 0.0811, officer)
    services.record_person(
        officer,
        "L-1",
        PersonEntry(
            ref="P-C",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    ghb_death("L-2", 21, 51.5395, 0.0840, officer)
    services.record_person(
        officer,
        "L-2",
        PersonEntry(
            ref="P-F",
            name="Friend Two",
            roles=["friend"],
            identifiers=[{"kind": "phone", "value": "+44 7700 900461"}],
        ),
    )
