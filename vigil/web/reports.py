"""The death report form: a new report (a short first page of what the first officer knows at
a scene, saved finished or as a draft), the live preview of what policy says of the facts typed
so far (htmx; nothing is saved), and editing a case's report (whole, or one section at a time:
``vigil.web.report_sections``) at the version the author read. When someone else saved the
case first, the form shows what they changed, keeps what was typed, and lets its author apply
their own changes on top (``vigil.services.casework.conflicts``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from pydantic import ValidationError

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import RecordKind
from vigil.domain.facts import unflatten
from vigil.domain.report import DeathReport
from vigil.policy import Evaluation
from vigil.services import (
    CaseChanges,
    changed_values,
    changes_since,
    preview_report,
    report_as_read,
    report_for_editing,
    report_problems,
    revise_report,
    revise_since,
    still_to_record,
)
from vigil.web import forms
from vigil.web import report_fields as fields
from vigil.web.common import actor_of
from vigil.web.report_kinds import FORMS, KindForm, form_for
from vigil.web.views import page

REFERENCE = fields.Field("reference", "Case reference", hint="The force's reference for it.")
FORM_ID = "report-form"


def layout_of(form: KindForm, *, new: bool = False) -> forms.Layout:
    """The whole report form of a kind (with the reference, for a new report)."""
    rows = {name: fields.ROWS[name] for name in form.rows}
    return forms.Layout({"reference": REFERENCE, **form.fields} if new else form.fields, rows)


REPORT = layout_of(FORMS[RecordKind.DEATH])


def _complete(request: HttpRequest) -> bool:
    """Save (a finished report) rather than Save as draft, or Apply my changes (which asks
    no more than the draft it applies to)."""
    return forms.button(request.POST, ("save", "draft", "apply")) == "save"


def _posted(data: Mapping[str, Any], layout: forms.Layout = REPORT) -> forms.Entry:
    """The report form as sent (a radio left unset keeps the report's default)."""
    defaults = {p: fields.value_at(DeathReport(), p) for p in layout.fields if p != "reference"}
    return layout.entry(data, defaults=defaults, required=("reference",))


def _report_values(entry: forms.Entry, kind: RecordKind) -> dict[str, Any]:
    """The report's values as sent, of the kind of the form's record."""
    return {p: v for p, v in entry.values.items() if p != "reference"} | {"kind": kind.value}


def _check(entry: forms.Entry, complete: bool, kind: RecordKind) -> DeathReport | None:
    """The report (of ``kind``), with every error of the form added beside its field."""
    report = entry.model_of(DeathReport, _report_values(entry, kind))
    checked = report if report is not None else lenient_report(entry, kind)
    for path, words in report_problems(checked, complete=complete).items():
        entry.add(path, words)
    return report if not entry.has_errors else None


def lenient_report(entry: forms.Entry, kind: RecordKind = RecordKind.DEATH) -> DeathReport:
    """The report from whatever of the form is valid (for a preview): fields the model refuses
    are left out (a list with a row refused, the whole list)."""
    values = _report_values(entry, kind)
    for _ in range(len(values) + 1):
        try:
            return DeathReport.model_validate(unflatten(values))
        except ValidationError as exc:
            bad = {_value_path(tuple(e["loc"])) for e in exc.errors()}
            values = {p: v for p, v in values.items() if p not in bad}
    return DeathReport()


def _value_path(loc: tuple[Any, ...]) -> str:
    return str(loc[0]) if loc and loc[0] in fields.ROWS else ".".join(str(p) for p in loc)


def _initial(
    report: DeathReport, layout: forms.Layout
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Every field of ``report`` as the form shows it, and the rows of each list."""
    initial = {
        p: forms.input_text(f, fields.value_at(report, p))
        for p, f in layout.fields.items()
        if p != "reference"
    }
    rows = {
        name: [
            {f.path: forms.input_text(f, getattr(item, f.path)) for f in columns}
            for item in fields.value_at(report, name)
        ]
        for name, (_, columns) in layout.rows.items()
    }
    return initial, rows


def _unbound(report: DeathReport, layout: forms.Layout = REPORT) -> forms.Entry:
    initial, rows = _initial(report, layout)
    blank = {name: fields.BLANK_ROWS for name in layout.rows}
    return layout.entry(initial=initial, rows=rows, blank=blank)


@dataclass(frozen=True)
class Edit:
    """What an edit form was read at and shows: the case's reference, version and fact mark,
    the paths withheld from the author and the case as they may see it; ``conflict`` holds
    what someone else changed since the form was read, when they saved first."""

    reference: str
    version: int
    mark: int | None
    locked: frozenset[str]
    shown: DeathReport
    conflict: list[dict[str, Any]] | None = None


def _render(
    request: HttpRequest,
    entry: forms.Entry,
    *,
    preview: Evaluation | None,
    edit: Edit | None = None,
    groups: Sequence[fields.Group] | None = None,
    rows: Iterable[str] | None = None,
    section: fields.Section | None = None,
    form: KindForm = FORMS[RecordKind.DEATH],
) -> HttpResponse:
    """The form of ``form``'s kind with what was typed and its errors (``groups`` and
    ``rows``: those shown, by default all of the kind's); a path ``edit`` locks shows the
    case's (masked) value instead of an input."""
    groups = form.groups if groups is None else groups
    rows = form.rows if rows is None else rows
    locked = edit.locked if edit else frozenset()
    report = edit.shown if edit else DeathReport()
    parts = [
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
        for g in groups
    ]
    repeated = [
        forms.RowsPart(name, fields.ROW_LEGENDS[name], fields.ROWS[name][0], [], locked=True)
        if name in locked
        else entry.rows_part(name, fields.ROW_LEGENDS[name])
        for name in rows
    ]
    shown_paths = {f.path for g in groups for f in g.fields} | set(rows) | {"reference"}
    order = [
        b
        for b in entry.bound_fields()
        if b.html_name.split("-")[0] in shown_paths and not (edit and b.name == "reference")
    ]
    if edit is None:
        action = reverse("case-new") + ("" if form.policy else f"?kind={form.kind.value}")
    elif section is None:
        action = reverse("case-edit", args=[edit.reference])
    else:
        action = reverse("case-edit-section", args=[edit.reference, section.key])
    context: dict[str, Any] = {
        "editing": edit is not None,
        "reference": edit.reference if edit else "",
        "ref": None if edit else entry.bound("reference"),
        "version": edit.version if edit else None,
        "mark": edit.mark if edit else None,
        "conflict": edit.conflict if edit else None,
        "section": section,
        "first_page": edit is None and form.policy and tuple(groups) == form.first_page,
        "sections": form.sections.values() if edit and section is None else (),
        "form": form,
        "kinds": FORMS.values(),
        "groups": parts,
        "repeated": repeated,
        "errors": forms.error_list(order, entry.form.non_field_errors(), form_id=FORM_ID),
        "ev": preview,
        "action": action,
    }
    return render(request, "vigil/report_form.html", context)


@page
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    """A new report: of a death by default, of another kind of record with ``?kind=``
    (``drugging``, ``intelligence``: ``vigil.web.report_kinds``). Save needs what a finished
    report needs; Save as draft opens the case with whatever is known so far. Nothing is saved
    while any field is refused."""
    actor = actor_of(request)
    services.require(actor, Permission.RECORD_CASE)
    form = form_for(request.GET.get("kind", ""))
    layout = layout_of(form, new=True)
    if request.method == "GET":
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        entry = _unbound(DeathReport(reported_at=now), layout)
        return _render(request, entry, preview=None, groups=form.first_page, rows=(), form=form)
    entry = _posted(request.POST, layout)
    report = _check(entry, _complete(request), form.kind)
    if report is not None:
        try:
            state = services.open_case(actor, entry.values["reference"], report)
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            return _saved(request, state.view.reference, state.view.report, opened=True)
    preview = preview_report(actor, lenient_report(entry, form.kind), face="web")
    if set(entry.paths) <= form.first_page_paths | {"reference"}:
        return _render(request, entry, preview=preview, groups=form.first_page, rows=(), form=form)
    return _render(request, entry, preview=preview, form=form)  # a whole report: show it all


def _saved(
    request: HttpRequest, reference: str, report: DeathReport, *, opened: bool
) -> HttpResponse:
    missing = still_to_record(report)
    if missing:
        label = form_for(report.kind).label_of
        words = "; ".join(label(path).lower() for path in missing)
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
    return edit_form(request, reference)


def mark_of(view: Any) -> int:
    """The case's last fact as its reader was shown it (the form's mark)."""
    return max((f.seq for f in view.facts), default=0)


def section_layout(section: fields.Section) -> forms.Layout:
    """The form of one section of a report: its group of fields, or its list of rows."""
    if section.group is None:
        return forms.Layout({}, {section.rows: fields.ROWS[section.rows]})
    return forms.Layout.of(*section.group.fields)


def edit_form(request: HttpRequest, reference: str, key: str | None = None) -> HttpResponse:
    """The edit form of the whole report of the case's kind, or of one section of it (by its
    ``key``; 404 if the case's kind has none). Saved against the version read; if someone
    saved the case first, the form comes back with what they changed, what was typed kept,
    and a button that applies the author's own changes on top of the case as it now stands."""
    actor: Actor = actor_of(request)
    editable = report_for_editing(actor, reference, face="web")
    view = editable.state.view
    form = form_for(view.report.kind)
    section = form.sections.get(key) if key is not None else None
    if key is not None and section is None:
        raise Http404("No such section of this report")
    layout = section_layout(section) if section else layout_of(form)
    groups = [section.group] if section and section.group else [] if section else form.groups
    rows = [section.rows] if section and section.rows else [] if section else form.rows
    edit = Edit(reference, view.version, mark_of(view), editable.locked, view.report)
    if request.method == "GET":
        entry = _unbound(view.report, layout)
        return _render(
            request,
            entry,
            preview=editable.state.evaluation,
            edit=edit,
            groups=groups,
            rows=rows,
            section=section,
            form=form,
        )
    entry = _posted(request.POST, layout)
    version = forms.version_read(request.POST)
    mark = forms.mark_read(request.POST)
    # a section is part of a report: what a finished report needs is asked on the whole form
    report = _check(entry, _complete(request) and section is None, form.kind)
    conflict = None
    if version is None:
        entry.add(None, forms.LOST)
    elif report is not None:
        try:
            if mark is None:
                revision = revise_report(
                    actor, reference, report, entry.paths, expected_version=version
                )
            else:
                revision = revise_since(
                    actor, reference, report, entry.paths, mark=mark, expected_version=version
                )
        except services.StaleVersion as exc:
            if mark is None:
                entry.add(None, forms.sentence(exc.reason))
            else:
                changes = changes_since(actor, reference, mark, face="web")
                conflict = _conflict_rows(actor, reference, report, entry.paths, mark, changes)
                version = changes.version
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            if not revision.changed:
                messages.info(request, "Nothing had changed, so nothing was recorded.")
                return redirect("case-detail", reference)
            if section is not None:
                messages.success(request, f"{section.title}: saved on case {reference}.")
                return redirect("case-sections", reference)
            return _saved(request, reference, report, opened=False)
    preview = preview_report(
        actor, lenient_report(entry, form.kind), face="web", reference=reference, paths=entry.paths
    )
    edit = Edit(
        reference,
        version if version is not None else view.version,
        mark,
        editable.locked,
        view.report,
        conflict,
    )
    return _render(
        request,
        entry,
        preview=preview,
        edit=edit,
        groups=groups,
        rows=rows,
        section=section,
        form=form,
    )


def _conflict_rows(
    actor: Actor,
    reference: str,
    report: DeathReport,
    paths: Iterable[str],
    mark: int,
    changes: CaseChanges,
) -> list[dict[str, Any]]:
    """What someone else changed since the form was read, each field as a row of the page:
    its words, the value read and theirs, who recorded it and when, and whether the author
    changed it too (then their value would replace the other's)."""
    read = report_as_read(actor, reference, mark)
    mine = set(changed_values(read, report, paths))
    form = form_for(report.kind)
    return [
        {
            "label": form.label_of(c.path),
            "before": form.fact_shown(c.path, c.before),
            "value": form.fact_shown(c.path, c.value),
            "by": c.recorded_by,
            "at": fields.local(c.known_at),
            "yours": c.path in mine,
        }
        for c in changes.changes
    ]
