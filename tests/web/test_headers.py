"""Headers on every page: a strict Content-Security-Policy (so no template may carry inline
script or style), Cache-Control: no-store, and HSTS over TLS (also behind a TLS-terminating
proxy, when its header is configured)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.conftest import T0, suspicious_report
from tests.signin import sign_in
from vigil import services
from vigil.config.env import SettingsError, VigilSettings

TEMPLATES = Path(__file__).resolve().parents[2] / "vigil" / "web" / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.fixture
def case_page(client, officer):
    services.open_case(officer, "H-1", suspicious_report(), known_at=T0)
    sign_in(client, "officer1")
    return client.get(reverse("case-detail", args=["H-1"]))


def test_a_case_page_carries_a_strict_content_security_policy(case_page):
    assert case_page.status_code == 200
    policy = directives(case_page)
    for directive in ("default-src", "script-src", "style-src", "connect-src", "form-action"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == policy["frame-ancestors"] == policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in case_page["Content-Security-Policy"]
    assert "'unsafe-eval'" not in case_page["Content-Security-Policy"]


def test_a_case_page_is_never_stored(case_page):
    assert "no-store" in case_page["Cache-Control"]
    assert "private" in case_page["Cache-Control"]


def test_the_sign_in_page_carries_the_headers_too(client, db):
    page = client.get(reverse("login"))
    assert "no-store" in page["Cache-Control"]
    assert directives(page)["script-src"] == ["'self'"]


def test_static_files_are_answered_before_the_no_store_middleware():
    order = django_settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "vigil.web.headers.NoStore"
    )


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\sstyle=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+=", re.IGNORECASE), "an on...= handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"hx-on", re.IGNORECASE), "an hx-on handler (htmx compiles it with Function)"),
]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_template_carries_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{template.name}: {', '.join(found)} (the CSP refuses it)"


def test_hsts_is_sent_over_tls_only(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert "Strict-Transport-Security" not in client.get(reverse("login"))
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_behind_a_tls_proxy_its_header_counts_as_tls(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    page = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert page["Strict-Transport-Security"] == "max-age=600"


def test_the_tls_settings_come_from_the_environment(tmp_path):
    env = {"VIGIL_HOME": str(tmp_path), "VIGIL_SECRET_KEY": "k" * 50, "VIGIL_AUDIT_KEY": "a" * 64}
    default = VigilSettings.from_env(env)
    assert default.hsts_seconds == 31536000 and default.proxy_ssl_header is None
    assert VigilSettings.from_env({**env, "VIGIL_DEBUG": "1"}).hsts_seconds == 0
    proxied = VigilSettings.from_env(
        {**env, "VIGIL_HSTS_SECONDS": "600", "VIGIL_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}
    )
    assert proxied.hsts_seconds == 600
    assert proxied.proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")
    with pytest.raises(SettingsError, match="VIGIL_PROXY_SSL_HEADER"):
        VigilSettings.from_env({**env, "VIGIL_PROXY_SSL_HEADER": "https"})
