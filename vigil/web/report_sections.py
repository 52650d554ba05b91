"""The report one section at a time, as an officer completes it at a scene on a phone: the
list of the report's sections (GOV.UK task list) and each section's own form, which posts only
its group of fields at the version read (``vigil.web.reports.edit_form``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from vigil.domain.facts import DEFAULTS
from vigil.domain.report import DeathReport
from vigil.services import report_for_editing
from vigil.web import report_fields as fields
from vigil.web.common import actor_of
from vigil.web.report_kinds import FORMS, form_for
from vigil.web.reports import edit_form
from vigil.web.views import page


def _started(report: DeathReport, section: fields.Section) -> bool:
    """Whether anything is recorded in the section yet."""
    return any(
        fields.value_at(report, path) not in (None, "", (), DEFAULTS.get(path))
        for path in section.paths
    )


@page
@require_http_methods(["GET"])
def section_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The report's sections, each with whether anything is recorded in it, linking to its
    form."""
    editable = report_for_editing(actor_of(request), reference, face="web")
    report = editable.state.view.report
    rows = [(s, _started(report, s)) for s in form_for(report.kind).sections.values()]
    context = {"reference": reference, "rows": rows, "ev": editable.state.evaluation}
    return render(request, "vigil/report_sections.html", context)


@page
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, reference: str, section: str) -> HttpResponse:
    """One section of the report (of the case's kind: ``edit_form`` finds it), saved on its
    own."""
    if not any(section in f.sections for f in FORMS.values()):
        raise Http404("No such section of the report")
    return edit_form(request, reference, section)
