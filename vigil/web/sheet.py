"""A casework page (``vigil.web.casework``, ``vigil.web.casework_tasks``): a form of the
fields a ``Sheet`` lays out, read with ``vigil.web.forms`` and shown with the report form's
field and error-summary templates, written through a service at the version of the case the
form was read at.

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
from vigil.services.unit import CaseState
from vigil.web import forms
from vigil.web.common import actor_of
from vigil.web.report_fields import Field, Group, local
from vigil.web.views import View, page

FORM_ID = "casework-form"
LOST = "The form lost the version of the case it was read at: reload it"
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


def given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form gave (a field left empty is left out, so a model's default applies
    and a required field is reported missing)."""
    return {path: value for path, value in values.items() if value is not None and value != ""}


def _sentence(reason: str) -> str:
    return reason[0].upper() + reason[1:]


def _refusal(sub: forms.Submitted, layout: forms.Layout, exc: services.ServiceError) -> None:
    """A service's refusal beside the field it names, or above the form if none is on it."""
    path = exc.field
    if path not in layout.fields and "." in path and path.split(".", 1)[1] in layout.fields:
        path = path.split(".", 1)[1]  # "custody.from_holder" on the custody form
    if path in layout.fields:
        joint = " " if exc.reason.startswith("is ") else ": "
        sub.errors[path.replace(".", "-")] = f"{layout.label(path)}{joint}{exc.reason}"
    else:
        sub.errors[path or "form"] = _sentence(exc.reason)


@dataclass(frozen=True)
class Change:
    """What a form asks for: the service's call at a version of the case, and the banner the
    case page shows once it is made."""

    call: Callable[..., object]  # takes expected_version=
    banner: str


def _made(request: HttpRequest, sub: forms.Submitted, layout: forms.Layout, change: Change) -> bool:
    """Make the change at the version the form was read at, unless the form has errors; a
    refusal (stale version, invalid input, a part of the case not found) is added to the form."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        sub.errors["version"] = LOST
        return False
    if sub.errors:
        return False
    try:
        change.call(expected_version=version)
    except services.StaleVersion as exc:
        sub.errors["version"] = _sentence(exc.reason)
    except services.NotFound as exc:
        if exc.field not in layout.fields:
            raise  # the case itself: not found, as for any page of it
        _refusal(sub, layout, exc)
    except services.Invalid as exc:
        _refusal(sub, layout, exc)
    else:
        return True
    return False


def serve(
    request: HttpRequest,
    state: CaseState,
    sheet: Sheet,
    build: Callable[[forms.Submitted], Change | None],
    initial: Mapping[str, str] | None = None,
) -> HttpResponse:
    """GET: the form, filled with ``initial``. POST: the change ``build`` reads from the form,
    then the case page with its banner; or the form again with what was typed and the errors
    (``build`` gives None when the form does not make a change). A closed sheet changes
    nothing."""
    if request.method != "POST" or sheet.closed:
        return _show(request, state, sheet, forms.Submitted(raw=dict(initial or {})))
    sub = forms.submitted(request.POST, sheet.layout)
    change = build(sub)
    if change is not None and _made(request, sub, sheet.layout, change):
        messages.success(request, change.banner)
        return redirect("case-detail", state.view.reference)
    return _show(request, state, sheet, sub)


def _parts(sheet: Sheet, sub: forms.Submitted) -> list[tuple[str, Any]]:
    layout = sheet.layout
    parts: list[tuple[str, Any]] = []
    for item in sheet.order:
        if isinstance(item, tuple):
            legend, hint, paths = item
            fields = tuple(layout.fields[p] for p in paths)
            group = Group(legend.lower().replace(" ", "-"), legend, fields, hint)
            bound = [forms.bound(f, sub.raw, sub.errors) for f in fields]
            parts.append(("group", forms.BoundGroup(group, bound)))
        elif item in layout.rows:
            legend, hint, count = sheet.rows[item]
            count = max(count, sub.rows.get(item, 0))
            rows = forms.bound_rows(layout, item, legend, sub.raw, sub.errors, count)
            parts.append(("rows", (rows, hint)))
        else:
            parts.append(("field", forms.bound(layout.fields[item], sub.raw, sub.errors)))
    return parts


def _bounds(parts: Iterable[tuple[str, Any]]) -> list[forms.Bound]:
    """Every field of the page, in its order."""
    out: list[forms.Bound] = []
    for kind, part in parts:
        if kind == "group":
            out += part.fields
        elif kind == "rows":
            out += [b for row in part[0].rows for b in row]
        else:
            out.append(part)
    return out


def _show(
    request: HttpRequest, state: CaseState, sheet: Sheet, sub: forms.Submitted
) -> HttpResponse:
    parts = _parts(sheet, sub)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = state.version
    context = {
        "case": state.view,
        "sheet": sheet,
        "parts": parts,
        "errors": forms.error_list([], [], sub.errors, _bounds(parts), form_id=FORM_ID),
        "version": version,
        "action": request.get_full_path(),
    }
    return render(request, "vigil/casework/form.html", context)


def at_now(f: Field) -> str:
    """Now, as the date-time field ``f`` shows it."""
    return forms.input_text(f, now())
