"""The menu, and what the signed-in user's role may do, for every page's template.

The menu shows a page only to a role that may use it: each entry names the permission its page's
service requires, and the role's permissions come from the one table the services check
(``vigil.domain.access``), so a link is never a way to a refusal. ``tests/web/test_pages.py``
opens every entry as every role, and every page left out, to keep the two in step.

Both are read from the database once per request, and only if a template asks, like every
page's actor (``common.actor_of``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from vigil.domain.access import Permission, permissions_of
from vigil.web.common import actor_of


@dataclass(frozen=True, slots=True)
class Entry:
    """A menu link: the page (its URL name), its words, the permission its service requires,
    and the pages below it (a case below Cases) that keep it marked as where the user is."""

    page: str
    label: str
    permission: Permission
    below: tuple[str, ...] = ()


MENU: tuple[Entry, ...] = (
    Entry("dashboard", "Dashboard", Permission.VIEW_CASE),
    Entry("case-list", "Cases", Permission.SEARCH, below=("case-detail",)),
    Entry("case-new", "New report", Permission.RECORD_CASE),
    Entry("review-queue", "Review", Permission.CATEGORISE, below=("review-case",)),
    Entry("alert-list", "Alerts", Permission.VIEW_ALERTS, below=("alert-detail",)),
    Entry("series-list", "Series", Permission.VIEW_SERIES, below=("series-detail",)),
    Entry(
        "review-list",
        "Retrospective reviews",
        Permission.ANSWER_ALERT,
        below=("review-detail", "review-report"),
    ),
    Entry("search", "Search", Permission.SEARCH),
    Entry("audit-trail", "Audit", Permission.READ_AUDIT),
    Entry("oversight-consistency", "Consistency", Permission.VIEW_OVERSIGHT),
    Entry("panel-queue", "Panel", Permission.ADVISE, below=("panel-referral",)),
    Entry(
        "panel-referrals", "Panel referrals", Permission.REFER_TO_PANEL, below=("panel-referral",)
    ),
    Entry("triage-queue", "Portal reports", Permission.TRIAGE_REPORTS, below=("triage-detail",)),
)


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str
    current: str  # aria-current: "page" on the page itself, "true" below it, "" elsewhere


def menu_for(allowed: frozenset[Permission], here: str | None) -> list[Link]:
    """The links a role with ``allowed`` may follow, ``here`` being the current URL name."""
    links = []
    for entry in MENU:
        if entry.permission not in allowed:
            continue
        try:
            url = reverse(entry.page)
        except NoReverseMatch:  # a page not (yet) routed shows no link
            continue
        current = "page" if here == entry.page else "true" if here in entry.below else ""
        links.append(Link(url, entry.label, current))
    return links


def _allowed(request: HttpRequest) -> frozenset[Permission]:
    if not request.user.is_authenticated:
        return frozenset()
    try:
        return permissions_of(actor_of(request).role)
    except PermissionDenied:  # an account with no Vigil role
        return frozenset()


def permissions(request: HttpRequest) -> dict[str, object]:
    """``vigil_permissions`` (what the role may do) and ``vigil_menu`` (the links it may use)."""
    allowed = SimpleLazyObject(lambda: _allowed(request))

    def links() -> list[Link]:
        match = getattr(request, "resolver_match", None)
        return menu_for(frozenset(allowed), match.url_name if match else None)

    return {"vigil_permissions": allowed, "vigil_menu": SimpleLazyObject(links)}
