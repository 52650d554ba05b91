"""The death report form: a new report (saved finished, or as a draft), the live preview of what
policy says of the facts typed so far (htmx; nothing is saved), and editing a case's report
with the version the author read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.report import DeathReport
from vigil.policy import Evaluation
from vigil.services.reporting import (
    preview_report,
    report_for_editing,
    report_problems,
    revise_report,
    still_to_record,
)
from vigil.web import forms
from vigil.web import report_fields as fields
from vigil.web.common import actor_of
from vigil.web.views import page

REFERENCE = fields.Field("reference", "Case reference", hint="The force's reference for the death.")


def _complete(request: HttpRequest) -> bool:
    """Save (a finished report) rather than Save as draft."""
    return request.POST.get("action", "save") != "draft"


def _check(sub: forms.Submitted, complete: bool) -> DeathReport | None:
    """The report, with every error of the form added beside its field."""
    report = forms.report_of(sub)
    checked = report if report is not None else forms.lenient_report(sub)
    for path, words in report_problems(checked, complete=complete).items():
        sub.errors.setdefault(path.replace(".", "-"), words)
    return report if not sub.errors else None


def _service_error(sub: forms.Submitted, exc: services.ServiceError) -> None:
    field_id = exc.field.replace(".", "-")
    known = fields.FIELDS.get(exc.field)
    label = REFERENCE.label if exc.field == "reference" else fields.label_of(exc.field)
    label = known.label if known else label
    joint = " " if exc.reason.startswith("is ") else ": "
    sub.errors[field_id] = f"{label}{joint}{exc.reason}" if exc.field else exc.reason


def _render(
    request: HttpRequest,
    sub: forms.Submitted,
    *,
    preview: Evaluation | None,
    reference: str = "",
    version: int | None = None,
    locked: frozenset[str] = frozenset(),
    shown: DeathReport | None = None,
) -> HttpResponse:
    groups, repeated = forms.bind(sub.raw, sub.errors, rows=sub.rows, locked=locked, report=shown)
    ref = forms.Bound(
        REFERENCE,
        "reference",
        REFERENCE.label,
        sub.raw.get("reference", ""),
        sub.errors.get("reference", ""),
    )
    editing = version is not None
    context: dict[str, Any] = {
        "editing": editing,
        "reference": reference,
        "ref": ref,
        "version": version,
        "groups": groups,
        "repeated": repeated,
        "errors": forms.error_list(groups, repeated, sub.errors, [] if editing else [ref]),
        "ev": preview,
        "action": reverse("case-edit", args=[reference]) if editing else reverse("case-new"),
    }
    return render(request, "vigil/report_form.html", context)


def _rows(report: DeathReport) -> dict[str, int]:
    return {name: len(getattr(report, name)) + fields.BLANK_ROWS for name in fields.ROWS}


@page
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    """A new death report. Save needs what a finished report needs; Save as draft opens the
    case with whatever is known so far. Nothing is saved while any field is refused."""
    actor = actor_of(request)
    services.require(actor, Permission.RECORD_CASE)
    if request.method == "GET":
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        start = DeathReport(reported_at=now)
        sub = forms.Submitted(raw=forms.form_text(start), rows=_rows(start))
        return _render(request, sub, preview=None)
    sub = forms.submitted(request.POST)
    reference = request.POST.get("reference", "").strip()
    sub.raw["reference"] = reference
    if not reference:
        sub.errors["reference"] = "Enter the case reference"
    report = _check(sub, _complete(request))
    if report is not None:
        try:
            state = services.open_case(actor, reference, report)
        except services.Invalid as exc:
            _service_error(sub, exc)
        else:
            return _saved(request, state.view.reference, state.view.report, opened=True)
    preview = preview_report(actor, forms.lenient_report(sub), face="web")
    return _render(request, sub, preview=preview)


def _saved(
    request: HttpRequest, reference: str, report: DeathReport, *, opened: bool
) -> HttpResponse:
    missing = still_to_record(report)
    if missing:
        words = "; ".join(fields.label_of(path).lower() for path in missing)
        messages.success(request, f"Draft saved on case {reference}. Still to record: {words}.")
    elif opened:
        messages.success(request, f"Case {reference} opened.")
    else:
        messages.success(request, f"The report of case {reference} is saved.")
    return redirect("case-detail", reference)


@page
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The policy's answer on the form as it stands (htmx swaps it into the page). Writes
    nothing; on an existing case it is audited as a consultation."""
    actor = actor_of(request)
    sub = forms.submitted(request.POST)
    editing = request.POST.get("editing", "").strip() or None
    evaluation = preview_report(
        actor, forms.lenient_report(sub), face="web", reference=editing, paths=sub.paths
    )
    return render(request, "vigil/_preview.html", {"ev": evaluation, "live": True})


def _version(data: Mapping[str, str]) -> int | None:
    try:
        return int(data.get("version", ""))
    except ValueError:
        return None


@page
@require_http_methods(["GET", "POST"])
def edit_report(request: HttpRequest, reference: str) -> HttpResponse:
    """Record new facts on a case's report. Only the fields changed are recorded, as known now;
    the version read is checked, so a report someone changed meanwhile is not overwritten."""
    actor: Actor = actor_of(request)
    editable = report_for_editing(actor, reference, face="web")
    view = editable.state.view
    if request.method == "GET":
        sub = forms.Submitted(raw=forms.form_text(view.report), rows=_rows(view.report))
        return _render(
            request,
            sub,
            preview=editable.state.evaluation,
            reference=reference,
            version=view.version,
            locked=editable.locked,
            shown=view.report,
        )
    sub = forms.submitted(request.POST)
    version = _version(request.POST)
    report = _check(sub, _complete(request))
    if version is None:
        sub.errors["version"] = "The form lost the version of the case it was read at: reload it"
    elif report is not None:
        try:
            revision = revise_report(actor, reference, report, sub.paths, expected_version=version)
        except services.StaleVersion as exc:
            sub.errors["version"] = exc.reason[0].upper() + exc.reason[1:]
        except services.Invalid as exc:
            _service_error(sub, exc)
        else:
            if not revision.changed:
                messages.info(request, "Nothing had changed, so nothing was recorded.")
                return redirect("case-detail", reference)
            return _saved(request, reference, report, opened=False)
    preview = preview_report(
        actor, forms.lenient_report(sub), face="web", reference=reference, paths=sub.paths
    )
    return _render(
        request,
        sub,
        preview=preview,
        reference=reference,
        version=version if version is not None else view.version,
        locked=editable.locked,
        shown=view.report,
    )
