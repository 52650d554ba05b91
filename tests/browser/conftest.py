"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

- `page`: a fresh browser context and page whose base URL is the live server (pytest-django's
  `live_server`, which makes the test use `transactional_db`: on in-memory SQLite the server
  thread shares the test's connection, on PostgreSQL the data is committed and seen by both).
- `browser_user(username, role)` creates a user through vigil.services (a `BrowserUser`: its
  actor, password and authenticator); `sign_in(page, user)` signs in through the sign-in page
  as a person would, with the code from the authenticator when the service asks for one.
- `axe(page)` runs axe-core (from node_modules) and returns its serious and critical violations.
- `screenshot(page, name)` writes docs/screenshots/NAME.png for the README.

Playwright's own browsers are never downloaded: Chromium is /usr/bin/chromium, installed from
Debian's packages by scripts/ensure-chromium. If it is missing the tests fail and say so.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import TransactionTestCase
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from vigil import services
from vigil.domain import Actor, UserRole

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "a-long-browser-password-1"
SYSTEM = Actor("test-system", UserRole.ADMINISTRATOR)
SERIOUS = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is a browser test (`pytest -m browser` runs them alone)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


# --- the database: a live server needs committed data, and flushing it meets append-only tables


@contextlib.contextmanager
def _append_only_lifted(alias: str) -> Iterator[None]:
    """Let the test database be emptied although the audit trail and facts refuse DELETE.

    Vigil's append-only tables carry triggers that refuse UPDATE, DELETE and TRUNCATE; a
    transactional test ends by flushing every table. The triggers are lifted for the flush only:
    on SQLite dropped and re-created from their own SQL, on PostgreSQL disabled and re-enabled.
    """
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND sql LIKE '%append-only%'"
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                yield
            finally:
                for _, sql in triggers:
                    cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgfoid = 'vigil_refuse_change'::regproc"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_tables() -> Iterator[None]:
    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self: TransactionTestCase) -> None:
        with contextlib.ExitStack() as stack:
            for alias in self._databases_names(include_mirrors=False):
                stack.enter_context(_append_only_lifted(alias))
            original(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


# --- the browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's synchronous API keeps an event loop on this thread, which Django would take
    # for an async context and refuse ORM calls in the test; there is none, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        yield pw
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing: run "
            "scripts/ensure-chromium (as root it installs the 'chromium' package), or "
            "`apt-get install chromium`.",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(
            f"The front-end packages are not installed ({AXE} is missing): run `make install`, "
            "which runs `npm ci`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
        bypass_csp=True,  # axe-core is injected as an inline script
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


# --- helpers


@dataclass
class BrowserUser:
    """A user made through vigil.services, with what a person needs to sign in."""

    actor: Actor
    password: str
    totp_secret: str  # base32, as an authenticator app is given it
    last_step: int = 0  # the last TOTP time step used: a code is accepted once only

    @property
    def username(self) -> str:
        return self.actor.username

    def totp(self) -> str:
        """The code the user's authenticator shows now (RFC 6238: SHA-1, 30 s, 6 digits), or
        the next step's if this step's was used already (the server allows one step of drift)."""
        key = base64.b32decode(self.totp_secret + "=" * (-len(self.totp_secret) % 8))
        self.last_step = max(int(time.time()) // 30, self.last_step + 1)
        mac = hmac.new(key, self.last_step.to_bytes(8, "big"), hashlib.sha1).digest()
        offset = mac[-1] & 0x0F
        number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
        return f"{number % 1_000_000:06d}"


@pytest.fixture
def browser_user(transactional_db: None) -> Callable[[str, UserRole], BrowserUser]:
    """Make a user with a role through vigil.services; the password is PASSWORD."""

    def make(username: str, role: UserRole) -> BrowserUser:
        enrolled = services.create_user(SYSTEM, username, role, PASSWORD, check_password=False)
        return BrowserUser(services.actor_for(username), PASSWORD, enrolled.secret)

    return make


def sign_in(page: Page, user: BrowserUser) -> None:
    """Sign in through the sign-in page as a person would: user name and password, then the
    code from the authenticator if asked for it; waits for the page it leads to."""
    page.goto("/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    if urlsplit(page.url).path == "/verify/":
        page.get_by_label("Code from your authenticator app").fill(user.totp())
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: urlsplit(url).path != "/verify/")


def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands, one dict each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in SERIOUS]


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as docs/screenshots/NAME.png (shown in the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
