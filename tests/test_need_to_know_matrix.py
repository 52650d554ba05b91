"""The need-to-know matrix: every page of the site and every API operation, for every role, as a
user named on a restricted case and as one who is not.

The site is read from Django's URL resolver and the API from its OpenAPI document, so a page or
an operation added later is covered without touching this file (a path parameter this file
cannot fill fails the test, naming it). What each role may do is derived from the role table
(``vigil.domain.access``): for the API from the permission each operation declares
(``x-vigil-permission``), for pages from the permissions the services ``require`` while the
page is served. Nothing here restates the table.

The store: three similar deaths, OPEN-1, HIDDEN-7731 and OPEN-2, linked by a shared phone;
the link OPEN-1~HIDDEN confirmed (a series), the link HIDDEN~OPEN-2 an alert awaiting an answer;
HIDDEN-7731 (the deceased "Quill Hiddenperson") restricted, with a person P-1, an exhibit E-1, an
action A-1, a referral R-1 and an unanswered concern, which the API's documented examples refer
to, a family's concern about it sent through the portal (overdue), a notice of its link to an
intelligence entry only the safeguarding team may see (its man reported uses the callers'
phone; the deaths are linked to it too), and the users
"matrix-keeper" and "duty-inspector" named on it; referred to the advisory panel through
"matrix-panel", named on it too, who has advised; and a retrospective review of every death,
which the panel sits on (a page of it answers as the role table says: it is not one case).

For a user **not named** on it (whatever their role):
- by reference, by link (alert) id and by series, pages and API answer exactly as for a case or
  link that does not exist (the same status and the same body), or 403 where the role table
  refuses the operation anyway; writes change nothing;
- no page and no API answer (lists, counts, search, alerts, series, dashboard) holds its
  reference or the deceased's name.

For a user **named** on it: every page and operation their role's permissions allow answers
200 (2xx for writes); every other one 403 (the API naming the permission).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from tests.triage import make_report
from vigil import services
from vigil.api import api as ninja_api
from vigil.audit.models import AuditEntry
from vigil.domain import (
    Action,
    DeathReport,
    Exhibit,
    LiaisonEntry,
    PersonEntry,
    Referral,
    UserRole,
)
from vigil.domain.access import Permission, allows
from vigil.domain.reviews import ReviewDefinition
from vigil.records import models as m
from vigil.services.access import rules as access
from vigil.services.casework import attachments
from vigil.services.linkage.series import Verdict, judge

HIDDEN = "HIDDEN-7731"
HIDDEN_NAME = "Quill Hiddenperson"
SECRETS = (HIDDEN, HIDDEN_NAME)
MISSING = "NOPE-0000"
MISSING_ID = 987654321
QUERIES = ("", "HIDDEN-77", "Quill")  # each parameterless page is also asked these
API_PERMISSION = "x-vigil-permission"
ROLES = list(UserRole)

# --- the store


@dataclass(frozen=True)
class World:
    alert_link: int  # HIDDEN~OPEN-2, unanswered
    series_link: int  # OPEN-1~HIDDEN, confirmed
    concern: int  # unanswered, on HIDDEN
    attachment: int = 0  # a photograph attached to HIDDEN
    submission: int = 0  # a family's concern through the portal naming HIDDEN, overdue
    panel_referral: int = 0  # HIDDEN referred to the advisory panel (any panel member named on it)
    panel_advice: int = 0  # the panel's advice on it, not answered
    review: int = 0  # a retrospective review covering every death, the panel sitting on it
    rate_alert: int = 0  # a certifier's rate alert whose run holds every death, HIDDEN too
    notice: str = ""  # the notice on HIDDEN of its link to the safeguarding team's record


def _death(officer, reference, days, lat, lon, **overrides):
    report = suspicious_report(
        found_at=T0 + timedelta(days=days),
        reported_at=T0 + timedelta(days=days, minutes=20),
        location__latitude=lat,
        location__longitude=lon,
        toxicology__status="confirmed",
        toxicology__substances=["ghb"],
        **overrides,
    )
    services.open_case(officer, reference, report, known_at=T0 + timedelta(days=days))


def _caller(officer, reference, ref, name):
    entry = PersonEntry(
        ref=ref,
        name=name,
        roles=["caller"],
        identifiers=[{"kind": "phone", "value": "07700 900461"}],
    )
    services.record_person(officer, reference, entry)


def _link(a: str, b: str) -> m.CaseLink:
    first, second = sorted((a, b))
    return m.CaseLink.objects.get(case_a__reference=first, case_b__reference=second)


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    # Passwords are never typed here (sessions are made directly): hash them fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VIGIL = replace(settings.VIGIL, attachments_dir=tmp_path / "attachments")
    officer = make_user("matrix-officer", UserRole.RESPONSE_OFFICER)
    analyst = make_user("matrix-analyst", UserRole.ANALYST)
    keeper = make_user("matrix-keeper", UserRole.REVIEWING_OFFICER)
    make_user("duty-inspector", UserRole.REVIEWING_OFFICER)
    _death(officer, "OPEN-1", 0, 51.5386, 0.0811)
    _caller(officer, "OPEN-1", "P-C1", "Caller One")
    _death(officer, HIDDEN, 10, 51.5390, 0.0825, deceased__name=HIDDEN_NAME)
    _caller(officer, HIDDEN, "P-1", "Caller Hidden")
    _death(officer, "OPEN-2", 20, 51.5395, 0.0840)
    _caller(officer, "OPEN-2", "P-C2", "Caller Two")
    at = T0 + timedelta(days=11)
    services.record_exhibit(
        officer,
        HIDDEN,
        Exhibit.model_validate(
            {
                "ref": "E-1",
                "description": "Note found by the body",
                "kind": "note",
                "custody": [
                    {
                        "kind": "seized",
                        "at": "2015-06-02T07:00:00Z",
                        "from_holder": "scene",
                        "to_holder": "PC 4821",
                        "by": "PC 4821",
                    }
                ],
            }
        ),
    )
    services.raise_action(
        officer,
        HIDDEN,
        Action.model_validate(
            {
                "ref": "A-1",
                "kind": "cctv",
                "title": "Seek CCTV",
                "history": [{"state": "raised", "at": at.isoformat(), "by": "PS 1"}],
            }
        ),
    )
    services.make_referral(
        officer,
        HIDDEN,
        Referral(ref="R-1", to_team="Homicide", made_at=at, made_by="PS 1", reason="Second death."),
    )
    services.log_liaison(
        officer,
        HIDDEN,
        LiaisonEntry.model_validate(
            {
                "person_ref": "P-1",
                "at": at.isoformat(),
                "method": "phone",
                "officer": "PC 4821",
                "summary": "Spoke to the caller.",
                "concerns": [{"text": "Why was his phone never found?"}],
            }
        ),
    )
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64))
    attachment = attachments.attach(officer, HIDDEN, photo, "scene.png")
    series_link, alert_link = _link("OPEN-1", HIDDEN), _link(HIDDEN, "OPEN-2")
    assert hasattr(alert_link, "alert"), "the store needs an alert on the hidden case"
    judge(analyst, series_link.pk, Verdict.CONFIRM, "Same caller's phone, same drug.")
    m.Alert.objects.filter(link=alert_link).update(answered=False)
    # The API's documented examples allocate actions to 'investigator1': an active user, named
    # on the hidden case (an action on a restricted case goes only to someone named on it).
    make_user("investigator1", UserRole.INVESTIGATOR)
    # The advisory panel reaches a restricted case only through a panel member named on it.
    panel = make_user("matrix-panel", UserRole.PANEL_MEMBER)
    services.restrict_case(keeper, HIDDEN, ["duty-inspector", "investigator1", "matrix-panel"])
    referral = services.refer_to_panel(keeper, HIDDEN, "Was the phone ever traced?")
    advice = services.record_advice(panel, referral.id, "Trace the phone.").advice[0]
    concern = m.Concern.objects.get(entry__case__reference=HIDDEN)
    due = T0 + timedelta(days=12)
    portal = make_report(settings, kind="family_concern", case_reference=HIDDEN, answer_due=due)
    review = services.define_review(keeper, ReviewDefinition(title="All", panel_sits=True))
    rate_alert = _rate_alert()
    notice = _notice_on_hidden()
    return World(
        alert_link.pk,
        series_link.pk,
        concern.pk,
        attachment.id,
        portal.submission.pk,
        panel_referral=referral.id,
        panel_advice=advice.id,
        review=review,
        rate_alert=rate_alert,
        notice=notice,
    )


def _notice_on_hidden() -> str:
    """The ref of the notice HIDDEN's reviewing officers get when an intelligence entry only
    the safeguarding team may see, whose man reported uses the callers' phone, is linked to it
    (and to the open deaths, whose analyst gets one each)."""
    team = make_user("matrix-safeguarding", UserRole.SAFEGUARDING_OFFICER)
    entry = {"kind": "intelligence", "intelligence": {"type": "crime_report"}}
    services.open_case(team, "SGX-1", DeathReport.model_validate(entry))
    services.restrict_case(team, "SGX-1")
    phone = [{"kind": "phone", "value": "07700 900461"}]
    reported = PersonEntry(ref="P-R", roles=["person_reported"], identifiers=phone)
    services.record_person(team, "SGX-1", reported)
    return m.Action.objects.get(case__reference=HIDDEN, kind="restricted_link").ref


def _rate_alert() -> int:
    """A rate alert on a certifier of the three deaths (as ``services.screen_rates`` stores
    one): its figures are every reader's, its list of cases holds HIDDEN for the named only."""
    alert = m.RateAlert.objects.create(
        kind="certifier",
        group="dr matrix",
        label="Dr Matrix",
        first_month=T0.date().replace(day=1),
        signal_month=T0.date().replace(day=1),
        observed=3,
        expected=1.0,
        statistic=5.1,
        threshold=5.0,
        rate_ratio=2.0,
        series=[
            {
                "month": T0.date().replace(day=1).isoformat(),
                "observed": 3,
                "expected": 1.0,
                "cusum": 5.1,
            }
        ],
        explanation="Dr Matrix certified 3 deaths in June 2015 where 1.0 were expected",
        analyst="matrix-analyst",
        raised_at=T0,
    )
    for case in m.Case.objects.all():
        m.RateAlertCase.objects.create(alert=alert, case=case)
    return alert.pk


@pytest.fixture(params=ROLES, ids=[r.value for r in ROLES])
def role(request) -> UserRole:
    return request.param


@pytest.fixture
def users(world, role) -> dict[str, str]:
    """Two users of ``role``: one named on the hidden case, one not."""
    named, outside = f"{role.value}-named", f"{role.value}-outside"
    make_user(named, role)
    make_user(outside, role)
    keeper = services.actor_for("matrix-keeper")
    services.name_on_case(keeper, HIDDEN, named)
    return {"named": named, "outside": outside}


def client_for(username: str) -> Client:
    client = Client()
    sign_in(client, username)
    return client


def hidden_state() -> tuple[int, bool, int]:
    """What a refused write would change: the case's version, its restriction, and the number
    of changes audited on it."""
    case = m.Case.objects.get(reference=HIDDEN)
    changes = AuditEntry.objects.filter(target_ref=HIDDEN).exclude(verb="consultation").count()
    return case.version, case.restricted, changes


# --- what the role table says


@contextlib.contextmanager
def required_permissions() -> Iterator[list[Permission]]:
    """The permissions ``vigil.services.access.rules.require`` checks meanwhile (in order)."""
    seen: list[Permission] = []
    original = access.allows

    def spy(role: UserRole, permission: Permission) -> bool:
        if sys._getframe(1).f_code.co_name == "require":
            seen.append(permission)
        return original(role, permission)

    with mock.patch.object(access, "allows", spy):
        yield seen


def refused(role: UserRole, permissions: list[Permission]) -> bool:
    return any(not allows(role, p) for p in permissions)


# --- the pages


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    params: tuple[tuple[str, str], ...]  # (name, converter)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            params = tuple((name, kind or "str") for kind, name in names)
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or route)
            yield Page(name, route, params)


def site_pages() -> list[Page]:
    """Every page of the site, but the API's (the API has its own matrix, below)."""
    return [p for p in _walk(get_resolver().url_patterns) if not p.name.startswith("api:")]


# The hidden case's referral to the advisory panel and its advice, by the parameter naming them.
PANEL_IDS = {"referral_id": "panel_referral", "advice_id": "panel_advice"}
# Pages of what is not one case, by the parameter that names it (a retrospective review covers
# many deaths): filled with the world's; for a user not named on the hidden case, the page
# answers as the role table says, not as for a missing one, and holds no trace of the case.
NOT_OF_A_CASE = {"review_id": "review", "rate_alert_id": "rate_alert"}
# The hidden case's casework, by the page parameter that names it (as the API's examples do).
CASEWORK = {"exhibit_ref": "E-1", "action_ref": "A-1", "referral_ref": "R-1", "section": "scene"}


def page_url(page: Page, world: World, *, missing: bool = False) -> str:
    """The page's URL for the hidden case (or, with ``missing``, for one that does not exist)."""
    url = "/" + page.route
    for name, kind in page.params:
        if name in CASEWORK:
            value = CASEWORK[name]
        elif name == "notice_ref":
            value = world.notice
        elif name in {"reference", "ref"} or (kind == "path" and "ref" in name):
            value = MISSING if missing else HIDDEN
        elif name in {"link_id", "link", "alert_id", "alert"} and kind == "int":
            value = str(MISSING_ID if missing else world.alert_link)
        elif name == "attachment_id" and kind == "int":
            value = str(MISSING_ID if missing else world.attachment)
        elif name == "submission_id" and kind == "int":
            value = str(MISSING_ID if missing else world.submission)
        elif name in PANEL_IDS and kind == "int":
            value = str(MISSING_ID if missing else getattr(world, PANEL_IDS[name]))
        elif name in NOT_OF_A_CASE and kind == "int":
            value = str(MISSING_ID if missing else getattr(world, NOT_OF_A_CASE[name]))
        else:
            pytest.fail(
                f"page {page.name} ({page.route}): the matrix cannot fill the parameter '{name}'"
                " — teach page_url what it stands for"
            )
        url = re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
    if not re.fullmatch(r"[\w/.~-]*", url):
        pytest.fail(f"page {page.name}: the matrix cannot make a URL of the route {page.route}")
    return url


_TOKENS = re.compile(r"[A-Za-z0-9]{32,64}")


def comparable(content: bytes, world: World, missing: bool = False) -> str:
    """A body with its CSRF tokens blanked and, for a missing case or link, its reference and
    id written as the hidden one's, so that the two answers can be compared."""
    text = content.decode(errors="replace")
    if missing:
        text = text.replace(MISSING, HIDDEN).replace(str(MISSING_ID), str(world.alert_link))
    return _TOKENS.sub("<token>", text)


def leaks(content: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode() in content]


def outsider_page_problems(client: Client, world: World, role: UserRole) -> list[str]:
    """By reference and by link id: exactly the answer for a missing case or link (GET and
    POST), 404 unless the role table refuses the page (403); elsewhere no trace of it."""
    problems: list[str] = []
    for page in site_pages():
        if not page.params:
            for q in QUERIES:
                url = "/" + page.route + (f"?q={q}" if q else "")
                response = client.get(url, follow=True)
                if leaks(response.content):
                    problems.append(f"GET {url} shows {leaks(response.content)}")
            continue
        if all(name in NOT_OF_A_CASE for name, _ in page.params):
            problems += _not_of_a_case(client, page_url(page, world), role)
            continue
        hidden_url, missing_url = page_url(page, world), page_url(page, world, missing=True)
        with required_permissions() as needed:
            hidden = client.get(hidden_url, follow=True)
        missing = client.get(missing_url, follow=True)
        expected = 403 if refused(role, needed) else 404
        if hidden.status_code != expected:
            problems.append(f"GET {hidden_url}: {hidden.status_code}, not {expected}")
        if comparable(hidden.content, world) != comparable(missing.content, world, True):
            problems.append(f"GET {hidden_url} answers otherwise than {missing_url}")
        posted, posted_missing = client.post(hidden_url, {}), client.post(missing_url, {})
        if comparable(posted.content, world) != comparable(posted_missing.content, world, True):
            problems.append(f"POST {hidden_url} answers otherwise than {missing_url}")
    return problems


def _not_of_a_case(client: Client, url: str, role: UserRole) -> list[str]:
    """A page of what is not one case: 200, or 403 where the role table refuses it; no trace of
    the hidden case, read or posted to."""
    with required_permissions() as needed:
        response = client.get(url, follow=True)
    expected = 403 if refused(role, needed) else 200
    problems = [f"GET {url}: {response.status_code}, not {expected}"]
    problems = problems if response.status_code != expected else []
    posted = client.post(url, {})
    for answer, how in ((response, "GET"), (posted, "POST")):
        if leaks(answer.content):
            problems.append(f"{how} {url} shows {leaks(answer.content)}")
    return problems


def named_page_problems(client: Client, world: World, role: UserRole) -> list[str]:
    """Each page: 403 if a permission its services require is one the role lacks, else 200
    (405 for a page that takes no GET)."""
    problems: list[str] = []
    for page in site_pages():
        urls = (
            [page_url(page, world)]
            if page.params
            else ["/" + page.route + (f"?q={q}" if q else "") for q in QUERIES]
        )
        for url in urls:
            with required_permissions() as needed:
                response = client.get(url, follow=True)
            if refused(role, needed):
                if response.status_code != 403:
                    words = ", ".join(p.value for p in needed)
                    problems.append(f"GET {url}: {response.status_code}, not 403 (needs {words})")
            elif response.status_code not in (200, 405):
                problems.append(f"GET {url}: {response.status_code}, not 200")
    return problems


def test_every_page(world, users, role):
    pages = site_pages()
    assert {"case-detail", "case-list"} <= {p.name for p in pages}
    before = hidden_state()
    problems = [
        f"not named: {p}" for p in outsider_page_problems(client_for(users["outside"]), world, role)
    ]
    assert hidden_state() == before, "a refused write changed the hidden case"
    problems += [
        f"named: {p}" for p in named_page_problems(client_for(users["named"]), world, role)
    ]
    assert not problems, "\n".join(problems)


# --- the API


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    permission: Permission
    params: tuple[dict[str, Any], ...]
    example: Any  # the request body's documented example, if it takes one
    has_body: bool

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def names(self, where: str) -> set[str]:
        return {p["name"] for p in self.params if p["in"] == where}


def api_operations() -> list[Operation]:
    document = ninja_api.get_openapi_schema()
    found = []
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            label = f"{method.upper()} {path}"
            assert API_PERMISSION in op, f"{label} declares no {API_PERMISSION}"
            body = op.get("requestBody")
            example = None
            if body:
                example = body["content"]["application/json"].get("example")
                assert example is not None, f"{label} documents no example of its body"
            found.append(
                Operation(
                    method,
                    path,
                    Permission(op[API_PERMISSION]),
                    tuple(op.get("parameters", ())),
                    example,
                    body is not None,
                )
            )
    return found


def addressed(op: Operation) -> bool:
    """The operation names the hidden case, or its link, in its path."""
    return bool(op.names("path") & {"reference", "link_id", "concern_id", *PANEL_IDS})


def api_url(op: Operation, world: World, *, missing: bool = False) -> str:
    path = op.path
    for param in op.params:
        if param["in"] != "path":
            continue
        name = param["name"]
        if name == "reference":
            value = MISSING if missing else HIDDEN
        elif name == "link_id":
            value = str(MISSING_ID if missing else world.alert_link)
        elif name == "concern_id":
            value = str(world.concern)
        elif name == "rate_alert_id":  # not of one case: answers as for any other alert
            value = str(world.rate_alert)
        elif name == "notice_ref":
            value = world.notice
        elif name in PANEL_IDS:
            value = str(MISSING_ID if missing else getattr(world, PANEL_IDS[name]))
        elif "example" in param:
            value = str(param["example"])
        else:
            pytest.fail(f"{op.label}: the matrix cannot fill the path parameter '{name}'")
        path = path.replace("{" + name + "}", value)
    if "q" in op.names("query"):
        path += "?q=HIDDEN-77"
    return path


def call(client: Client, op: Operation, url: str, etag: str | None) -> Any:
    headers = {"If-Match": etag} if etag and "If-Match" in op.names("header") else {}
    if op.method == "get":
        return client.get(url, headers=headers)
    body = json.dumps(op.example) if op.has_body else ""
    return client.generic(op.method.upper(), url, body, "application/json", headers=headers)


def current_etag(keeper: Client) -> str:
    response = keeper.get(f"/api/cases/{HIDDEN}")
    assert response.status_code == 200, response.content
    return response["ETag"]


def outsider_api_problems(client: Client, keeper: Client, world: World, role: UserRole):
    """403 naming the permission where the role table refuses the operation; else, by
    reference, link or concern id, exactly the answer for a missing case or link (404); else
    2xx without a trace of the hidden case."""
    problems: list[str] = []
    for op in api_operations():
        etag = current_etag(keeper)
        response = call(client, op, api_url(op, world), etag)
        if not allows(role, op.permission):
            if response.status_code != 403 or response.json().get("permission") != op.permission:
                problems.append(f"{op.label}: {response.status_code}, not 403 {op.permission}")
        elif addressed(op):
            missing = call(client, op, api_url(op, world, missing=True), etag)
            if response.status_code != 404:
                problems.append(f"{op.label}: {response.status_code}, not 404")
            if comparable(response.content, world) != comparable(missing.content, world, True):
                problems.append(f"{op.label} answers otherwise than for a missing case or link")
        elif not 200 <= response.status_code < 300:
            problems.append(f"{op.label}: {response.status_code} {response.content[:200]!r}")
        elif leaks(response.content):
            problems.append(f"{op.label} shows {leaks(response.content)}")
    return problems


def named_api_problems(client: Client, keeper: Client, world: World, role: UserRole):
    """403 naming the permission where the role table refuses the operation, else 2xx (writes
    with the documented example and the case's current ETag)."""
    problems: list[str] = []
    for op in api_operations():
        response = call(client, op, api_url(op, world), current_etag(keeper))
        if not allows(role, op.permission):
            if response.status_code != 403 or response.json().get("permission") != op.permission:
                problems.append(f"{op.label}: {response.status_code}, not 403 {op.permission}")
        elif not 200 <= response.status_code < 300:
            problems.append(f"{op.label}: {response.status_code} {response.content[:300]!r}")
    return problems


def test_every_api_operation_for_a_user_not_named(world, users, role):
    assert len(api_operations()) >= 25
    before = hidden_state()
    client, keeper = client_for(users["outside"]), client_for("matrix-keeper")
    problems = outsider_api_problems(client, keeper, world, role)
    assert hidden_state() == before, "a refused write changed the hidden case"
    assert not problems, "\n".join(problems)


def test_every_api_operation_for_a_user_named(world, users, role):
    client, keeper = client_for(users["named"]), client_for("matrix-keeper")
    problems = named_api_problems(client, keeper, world, role)
    assert not problems, "\n".join(problems)


# --- counts


def test_counts_leave_the_hidden_case_out(world, users, role):
    """The same questions asked by the named user and by the one not named: the hidden case
    counts for the first only."""
    answers = {}
    for who in ("named", "outside"):
        client = client_for(users[who])
        got: dict[str, int] = {}
        if allows(role, Permission.SEARCH):
            got["cases"] = client.get("/api/cases").json()["total"]
            got["search"] = client.get("/api/search?q=churchyard").json()["total"]
        if allows(role, Permission.CATEGORISE):
            got["queue"] = client.get("/api/review-queue").json()["total"]
        board = client.get("/api/dashboard").json()
        got |= {f"dashboard {name}": section["count"] for name, section in board.items()}
        got["overdue"] = len(client.get("/api/overdue").json())
        answers[who] = got
    named, outside = answers["named"], answers["outside"]
    hidden_overdue = sum(
        1
        for item in client_for(users["named"]).get("/api/overdue").json()
        if item["reference"] == HIDDEN
    )
    if allows(role, Permission.SEARCH):
        assert (named["cases"], outside["cases"]) == (3, 2)
        assert (named["search"], outside["search"]) == (3, 2)
    if allows(role, Permission.CATEGORISE):
        assert named["queue"] == outside["queue"] + 1
    assert hidden_overdue > 0
    assert outside["overdue"] == named["overdue"] - hidden_overdue
    assert outside["dashboard overdue"] == named["dashboard overdue"] - hidden_overdue
    if allows(role, Permission.INVESTIGATE):
        assert (named["dashboard concerns"], outside["dashboard concerns"]) == (1, 0)
    if allows(role, Permission.ANSWER_REFERRAL):
        assert (named["dashboard referrals"], outside["dashboard referrals"]) == (1, 0)


# --- persons by ref

HIDDEN_PERSON = ("P-1", "Caller Hidden")  # the hidden case's caller: the ref given, the name


def hidden_person() -> tuple[Any, ...]:
    """The hidden case's caller as stored, and every case they are on."""
    link = m.CasePerson.objects.select_related("person").get(
        case__reference=HIDDEN, external_ref=HIDDEN_PERSON[0]
    )
    person = link.person
    cases = sorted(person.case_roles.values_list("case__reference", flat=True))
    return person.pk, person.name, person.sex, person.date_of_birth, tuple(cases)


def _shown_person(response: Any, given: str) -> Any:
    """The person the answer shows with the ref ``given`` (without the ref), or the answer."""
    if response.status_code // 100 != 2 or "json" not in response.get("Content-Type", ""):
        return (response.status_code, comparable(response.content, None).replace(given, "<ref>"))
    persons = [p for p in response.json()["persons"] if p["ref"] == given]
    return [{k: v for k, v in p.items() if k not in {"ref", "known_at"}} for p in persons]


def test_a_hidden_cases_person_by_ref_through_every_face(world, users, role):
    """Web form, API and import: the ref of a person who is only on the hidden case, given by
    a user not named on it, answers exactly as a ref nobody has used, and changes nothing."""
    username = users["outside"]
    client, actor = client_for(username), services.actor_for(username)
    before, stored = hidden_state(), hidden_person()
    ref, name = HIDDEN_PERSON
    unknown = "P-404"
    problems = []

    def form(reference: str, given: str) -> Any:
        version = m.Case.objects.get(reference=reference).version
        url = f"/cases/{reference}/persons/new/"
        data = {"version": version, "ref": given, "name": "Probe Person", "roles": ["witness"]}
        return client.post(url, data, follow=True)

    def api(reference: str, given: str) -> Any:
        body = {"ref": given, "name": "Probe Person", "roles": ["witness"]}
        return client.post(f"/api/cases/{reference}/persons", body, "application/json")

    for face, write in (("web", form), ("api", api)):
        hidden, missing = write("OPEN-1", ref), write("OPEN-2", unknown)
        if hidden.status_code != missing.status_code:
            problems.append(f"{face}: {hidden.status_code} for {ref}, {missing.status_code} else")
        if face == "api" and _shown_person(hidden, ref) != _shown_person(missing, unknown):
            problems.append(f"{face}: the answer for {ref} is not the answer for {unknown}")
        if name.encode() in hidden.content:
            problems.append(f"{face}: the answer shows {name}")
    lines = [
        json.dumps({"reference": f"IMPORTED-{n}", "persons": [{"ref": r, "roles": ["friend"]}]})
        for n, r in enumerate((ref, unknown))
    ]
    if allows(role, Permission.IMPORT):
        report = services.import_lines(actor, lines, link=False)
        if report.errors or report.created != 2:
            problems.append(f"import: {report.errors}")
        shown = [services.view_case(actor, f"IMPORTED-{n}", face="test") for n in range(2)]
        people = [s.view.persons[0].model_dump(exclude={"ref", "known_at"}) for s in shown]
        if people[0] != people[1]:
            problems.append(f"import: {ref} gave {people[0]}, {unknown} gave {people[1]}")
    else:
        with pytest.raises(services.Forbidden):
            services.import_lines(actor, lines, link=False)
    assert hidden_state() == before, "touching the hidden case's person changed the hidden case"
    assert hidden_person() == stored, "touching the hidden case's person changed them"
    assert not problems, "\n".join(problems)
