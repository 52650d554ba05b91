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
from pydantic import ValidationError

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.facts import unflatten
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
REPORT = forms.Layout(fields.FIELDS, fields.ROWS)
NEW_REPORT = forms.Layout({"reference": REFERENCE, **fields.FIELDS}, fields.ROWS)
FORM_ID = "report-form"


def _complete(request: HttpRequest) -> bool:
    """Save (a finished report) rather than Save as draft."""
    return forms.button(request.POST, ("save", "draft")) != "draft"


def _posted(data: Mapping[str, Any], layout: forms.Layout = REPORT) -> forms.Entry:
    """The report form as sent (a radio left unset keeps the report's default)."""
    return layout.entry(data, defaults=fields.DEFAULTS, required=("reference",))


def _report_values(entry: forms.Entry) -> dict[str, Any]:
    return {p: v for p, v in entry.values.items() if p != "reference"}


def _check(entry: forms.Entry, complete: bool) -> DeathReport | None:
    """The report, with every error of the form added beside its field."""
    report = entry.model_of(DeathReport, _report_values(entry))
    checked = report if report is not None else lenient_report(entry)
    for path, words in report_problems(checked, complete=complete).items():
        entry.add(path, words)
    return report if not entry.has_errors else None


def lenient_report(entry: forms.Entry) -> DeathReport:
    """The report from whatever of the form is valid (for a preview): fields the model refuses
    are left out (a list with a row refused, the whole list)."""
    values = _report_values(entry)
    for _ in range(len(values) + 1):
        try:
            return DeathReport.model_validate(unflatten(values))
        except ValidationError as exc:
            bad = {_value_path(tuple(e["loc"])) for e in exc.errors()}
            values = {p: v for p, v in values.items() if p not in bad}
    return DeathReport()


def _value_path(loc: tuple[Any, ...]) -> str:
    return str(loc[0]) if loc and loc[0] in fields.ROWS else ".".join(str(p) for p in loc)


def _initial(report: DeathReport) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Every field of ``report`` as the form shows it, and the rows of each list."""
    initial = {p: forms.input_text(f, fields.value_at(report, p)) for p, f in fields.FIELDS.items()}
    rows = {
        name: [
            {f.path: forms.input_text(f, getattr(item, f.path)) for f in columns}
            for item in fields.value_at(report, name)
        ]
        for name, (_, columns) in fields.ROWS.items()
    }
    return initial, rows


def _unbound(report: DeathReport, layout: forms.Layout = REPORT) -> forms.Entry:
    initial, rows = _initial(report)
    blank = {name: fields.BLANK_ROWS for name in fields.ROWS}
    return layout.entry(initial=initial, rows=rows, blank=blank)


def _render(
    request: HttpRequest,
    entry: forms.Entry,
    *,
    preview: Evaluation | None,
    reference: str = "",
    version: int | None = None,
    locked: frozenset[str] = frozenset(),
    shown: DeathReport | None = None,
) -> HttpResponse:
    """The form with what was typed and its errors; ``locked`` paths show ``shown``'s (masked)
    value instead of an input."""
    report = shown or DeathReport()
    groups = [
        forms.GroupPart(
            g,
            [
                forms.Locked(
                    f.id,
                    f.label,
                    fields.shown(f, fields.value_at(report, f.path)),
                    entry.bound(f.path).error,
                )
                if f.path in locked
                else entry.bound(f.path)
                for f in g.fields
            ],
        )
        for g in fields.GROUPS
    ]
    repeated = [
        forms.RowsPart(name, legend, fields.ROWS[name][0], [], locked=True)
        if name in locked
        else entry.rows_part(name, legend)
        for name, legend in fields.ROW_LEGENDS.items()
    ]
    editing = version is not None
    order = [b for b in entry.bound_fields() if not (editing and b.name == "reference")]
    context: dict[str, Any] = {
        "editing": editing,
        "reference": reference,
        "ref": None if editing else entry.bound("reference"),
        "version": version,
        "groups": groups,
        "repeated": repeated,
        "errors": forms.error_list(order, entry.form.non_field_errors(), form_id=FORM_ID),
        "ev": preview,
        "action": reverse("case-edit", args=[reference]) if editing else reverse("case-new"),
    }
    return render(request, "vigil/report_form.html", context)


@page
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    """A new death report. Save needs what a finished report needs; Save as draft opens the
    case with whatever is known so far. Nothing is saved while any field is refused."""
    actor = actor_of(request)
    services.require(actor, Permission.RECORD_CASE)
    if request.method == "GET":
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        return _render(request, _unbound(DeathReport(reported_at=now), NEW_REPORT), preview=None)
    entry = _posted(request.POST, NEW_REPORT)
    report = _check(entry, _complete(request))
    if report is not None:
        try:
            state = services.open_case(actor, entry.values["reference"], report)
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            return _saved(request, state.view.reference, state.view.report, opened=True)
    preview = preview_report(actor, lenient_report(entry), face="web")
    return _render(request, entry, preview=preview)


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
    entry = _posted(request.POST)
    editing = forms.hidden_text(request.POST, "editing") or None
    evaluation = preview_report(
        actor, lenient_report(entry), face="web", reference=editing, paths=entry.paths
    )
    return render(request, "vigil/_preview.html", {"ev": evaluation, "live": True})


@page
@require_http_methods(["GET", "POST"])
def edit_report(request: HttpRequest, reference: str) -> HttpResponse:
    """Record new facts on a case's report. Only the fields changed are recorded, as known now;
    the version read is checked, so a report someone changed meanwhile is not overwritten."""
    actor: Actor = actor_of(request)
    editable = report_for_editing(actor, reference, face="web")
    view = editable.state.view
    if request.method == "GET":
        entry = _unbound(view.report)
        evaluation = editable.state.evaluation
        return _render(
            request,
            entry,
            preview=evaluation,
            version=view.version,
            reference=reference,
            locked=editable.locked,
            shown=view.report,
        )
    entry = _posted(request.POST)
    version = forms.version_read(request.POST)
    report = _check(entry, _complete(request))
    if version is None:
        entry.add(None, forms.LOST)
    elif report is not None:
        try:
            revision = revise_report(
                actor, reference, report, entry.paths, expected_version=version
            )
        except services.StaleVersion as exc:
            entry.add(None, forms.sentence(exc.reason))
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            if not revision.changed:
                messages.info(request, "Nothing had changed, so nothing was recorded.")
                return redirect("case-detail", reference)
            return _saved(request, reference, report, opened=False)
    preview = preview_report(
        actor, lenient_report(entry), face="web", reference=reference, paths=entry.paths
    )
    version = version if version is not None else view.version
    return _render(
        request,
        entry,
        preview=preview,
        version=version,
        reference=reference,
        locked=editable.locked,
        shown=view.report,
    )
