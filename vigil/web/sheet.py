"""A casework page (``vigil.web.casework``, ``vigil.web.casework_tasks``): the Django form and
formsets of the fields a ``Sheet`` lays out (``vigil.web.forms``), shown with the same field,
fieldset and error-summary templates as the report form, written through a service at the
version of the case the form was read at.

Every page reads the case through ``view_case`` (audited; a case the user may not see is not
found, exactly as a missing one) after checking the write's permission (else 403), and writes
through the service, which checks both again, re-evaluates the case, re-links it and audits
the change. A form read before someone else's change is refused and changes nothing. A form
refused for an error comes back with what was typed, an error summary and each message beside
its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services import CaseState
from vigil.web import forms
from vigil.web.common import actor_of
from vigil.web.report_fields import Group, local
from vigil.web.views import View, page

FORM_ID = "casework-form"
Fieldset = tuple[str, str, tuple[str, ...]]  # legend, hint, the paths of its fields


@dataclass
class Sheet:
    """A casework page: its title, the form's layout and the order of its parts (field paths,
    row names and fieldsets), the rows shown of each list, and what it changes (``about``).
    ``closed`` says why there is nothing to do (and then there is no form)."""

    title: str
    button: str
    layout: forms.Layout
    order: tuple[str | Fieldset, ...]
    intro: str = ""
    rows: Mapping[str, tuple[str, str, int]] = field(default_factory=dict)  # legend, hint, count
    about: list[tuple[str, str]] = field(default_factory=list)
    closed: str = ""
    required: tuple[str, ...] = ()  # fields no domain model reads that must be given


def form_page(view: View) -> View:
    """A casework page: signed in, GET (the form) or POST (the change), and the services'
    refusals as HTTP (``vigil.web.views.page``)."""
    return page(require_http_methods(["GET", "POST"])(view))


def now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def when(value: datetime | None) -> str:
    return local(value).strftime("%-d %b %Y %H:%M") if value else "not recorded"


def words(value: object) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


def read(request: HttpRequest, reference: str, permission: Permission) -> tuple[Actor, CaseState]:
    """The actor, who must hold ``permission``, and the case as they may see it."""
    actor = actor_of(request)
    services.require(actor, permission)
    return actor, services.view_case(actor, reference, face="web")


class Numbered(Protocol):
    @property
    def ref(self) -> str: ...


N = TypeVar("N", bound=Numbered)


def one(items: Iterable[N], ref: str, noun: str, reference: str) -> N:
    """The exhibit, action or referral of the case with ``ref``; else not found (404)."""
    found = next((item for item in items if item.ref == ref), None)
    if found is None:
        raise services.NotFound(noun, f"case {reference} has no {noun} {ref}")
    return found


@dataclass(frozen=True)
class Change:
    """What a form asks for: the service's call at a version of the case, and the banner the
    case page shows once it is made."""

    call: Callable[..., object]  # takes expected_version=
    banner: str


def _made(request: HttpRequest, entry: forms.Entry, change: Change) -> bool:
    """Make the change at the version the form was read at, unless the form has errors; a
    refusal (stale version, invalid input, a part of the case not found) is added to the form."""
    version = forms.version_read(request.POST)
    if version is None:
        entry.add(None, forms.LOST)
        return False
    if entry.has_errors:
        return False
    try:
        change.call(expected_version=version)
    except services.StaleVersion as exc:
        entry.add(None, forms.sentence(exc.reason))
    except services.NotFound as exc:
        if exc.field not in entry.layout.fields:
            raise  # the case itself: not found, as for any page of it
        entry.refuse(exc.field, exc.reason)
    except services.Invalid as exc:
        entry.refuse(exc.field, exc.reason)
    else:
        return True
    return False


Build = Callable[[forms.Entry], Change | None]


def serve(
    request: HttpRequest,
    state: CaseState,
    sheet: Sheet,
    build: Build,
    initial: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """GET: the form, filled with ``initial``. POST: the change ``build`` reads from the form,
    then the case page with its banner; or the form again with what was typed and the errors
    (``build`` gives None when the form does not make a change). A closed sheet changes
    nothing."""
    blank = {name: count for name, (_, _, count) in sheet.rows.items()}
    if request.method != "POST" or sheet.closed:
        entry = sheet.layout.entry(initial=initial, blank=blank, required=sheet.required)
        return _show(request, state, sheet, entry)
    entry = sheet.layout.entry(request.POST, blank=blank, required=sheet.required)
    change = build(entry)
    if change is not None and _made(request, entry, change):
        messages.success(request, change.banner)
        return redirect("case-detail", state.view.reference)
    return _show(request, state, sheet, entry)


def _parts(sheet: Sheet, entry: forms.Entry) -> list[tuple[str, Any]]:
    parts: list[tuple[str, Any]] = []
    for item in sheet.order:
        if isinstance(item, tuple):
            legend, hint, paths = item
            fields = tuple(sheet.layout.fields[p] for p in paths)
            group = Group(legend.lower().replace(" ", "-"), legend, fields, hint)
            parts.append(("group", forms.GroupPart(group, [entry.bound(p) for p in paths])))
        elif item in sheet.layout.rows:
            legend, hint, _ = sheet.rows[item]
            parts.append(("rows", (entry.rows_part(item, legend), hint)))
        else:
            parts.append(("field", entry.bound(item)))
    return parts


def _show(request: HttpRequest, state: CaseState, sheet: Sheet, entry: forms.Entry) -> HttpResponse:
    version = forms.version_read(request.POST) if request.method == "POST" else None
    context = {
        "case": state.view,
        "sheet": sheet,
        "parts": _parts(sheet, entry),
        "errors": forms.error_list(
            entry.bound_fields(), entry.form.non_field_errors(), form_id=FORM_ID
        ),
        "version": state.version if version is None else version,
        "action": request.get_full_path(),
    }
    return render(request, "vigil/casework/form.html", context)
