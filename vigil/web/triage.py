"""The safeguarding team's pages for the portal's reports: the triage queue (what each report
is, never what it says) and a report's page, where an officer types the team's passphrase to
open it, reads the report and the conversation, replies, closes it with an outcome, links it
to a case, or makes a record of it (a drugging report or an intelligence entry: a preview of
the record's facts first, then the record made once the passphrase is typed again).

The passphrase goes from the form to ``services.open_submission`` and nowhere else: it is never
put back into the page, the session or a log. What it opens is shown in that one answer
(``Cache-Control: no-store`` is on every answer: ``vigil.web.headers``); every other answer of
the page, after a reply say, shows the report closed again. The services check the permission
(``triage_reports``), need-to-know and the audit; these pages parse forms and show results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services import (
    PORTAL_RECORD_KINDS,
    TRIAGE_KINDS,
    TRIAGE_STATUSES,
    OpenedReport,
    PortalRecordPreview,
    PortalRecordSpec,
    TriageFilters,
)
from vigil.web import forms
from vigil.web.common import actor_of
from vigil.web.formfields import TEMPLATES, SpecForm, django_field, form_class
from vigil.web.lists import ANY, read_filters, sort_params
from vigil.web.report_fields import Field
from vigil.web.report_kinds import INTELLIGENCE_TYPES, form_for
from vigil.web.views import page

PAGE = 50
ACTIONS = ("open", "reply", "close", "link", "preview", "make")

# --- the queue


class TriageFilterForm(django_forms.Form):
    status = django_forms.ChoiceField(
        required=False,
        label="Show",
        choices=list(TRIAGE_STATUSES.items()),
        error_messages={"invalid_choice": "Choose which reports to show from the list"},
    )
    kind = django_forms.ChoiceField(
        required=False,
        label="Kind of report",
        choices=ANY + list(TRIAGE_KINDS.items()),
        error_messages={"invalid_choice": "Choose a kind of report from the list"},
    )

    def filters(self) -> TriageFilters:
        """The filters that parsed (after ``is_valid``)."""
        data = self.cleaned_data
        return TriageFilters(status=data.get("status") or "waiting", kind=data.get("kind") or "")


@page
def queue(request: HttpRequest) -> HttpResponse:
    """The portal's reports the officer may see, overdue first, then the newest."""
    form, errors = read_filters(TriageFilterForm, request.GET)
    listing = services.triage_queue(
        actor_of(request), face="web", filters=form.filters(), size=PAGE, **sort_params(request.GET)
    )
    return render(
        request,
        "vigil/triage/queue.html",
        {"listing": listing, "rows": listing.rows, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


# --- a report: its forms


class PasswordInput(django_forms.PasswordInput):
    """A passphrase box: never filled in again (``render_value`` off), with GOV.UK's classes."""

    govuk = "govuk-input"  # its error modifier (``GovBoundField``)


PASSPHRASE = Field(
    "passphrase",
    "The team passphrase",
    hint="Opening a report is recorded in the audit trail under your name. The passphrase is "
    "used for this opening only and is not kept.",
)


# The GOV.UK field template, as ``vigil.web.formfields`` gives its fields (the stubs lack it).
GOV_UK_FIELD: dict[str, Any] = {"template_name": TEMPLATES + "field.html"}


def passphrase_field() -> django_forms.CharField:
    """The box the team's passphrase is typed in: never filled in again."""
    return django_forms.CharField(
        label=PASSPHRASE.label,
        strip=False,  # a passphrase is what was typed, spaces and all
        max_length=1000,
        widget=PasswordInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        **GOV_UK_FIELD,
        error_messages={
            "required": "The team passphrase: enter it",
            "max_length": "The team passphrase: it is longer than any passphrase",
        },
    )


class UnlockForm(SpecForm):
    """The team's passphrase, to open one report."""

    base_specs = {"passphrase": PASSPHRASE}
    passphrase = passphrase_field()


ReplyForm = form_class(
    [
        Field(
            "text",
            "Your reply",
            "textarea",
            hint="Sealed at once, so that only the team and the reporter, with their receipt "
            "code, can read it. Write as you would speak to them: plainly, without jargon.",
        )
    ],
    required=["text"],
)
CloseForm = form_class(
    [
        Field(
            "outcome",
            "The outcome",
            "textarea",
            hint="What was done, and why the report ends here. It is kept with the report.",
        )
    ],
    required=["outcome"],
)
LinkForm = form_class(
    [
        Field(
            "reference",
            "Case reference",
            hint="The case this report belongs to. You must be able to see the case.",
            width="20",
        )
    ],
    required=["reference"],
)
RECORD_KIND = Field(
    "record_kind",
    "Which record to make",
    "radios",
    choices=tuple(PORTAL_RECORD_KINDS.items()),
    hint="A drugging report is a crime report of drugging or sexual violence.",
)
INTELLIGENCE_TYPE = Field(
    "intelligence_type",
    "What the intelligence entry records",
    "radios",
    choices=INTELLIGENCE_TYPES,
    hint="For an intelligence entry only.",
)
RECORD_REFERENCE = Field(
    "record_reference",
    "Reference of the new record",
    hint="The force's reference for it, as for any new record.",
    width="20",
)
MAKE_PASSPHRASE = Field(
    "make_passphrase",
    PASSPHRASE.label,
    hint="The report is decrypted again to fill in the record; this is recorded in the audit "
    "trail under your name. The passphrase is not kept.",
)


class MakeForm(SpecForm):
    """Which record to make of the report, and the passphrase that decrypts it for a preview."""

    base_specs = {
        f.path: f for f in (RECORD_KIND, INTELLIGENCE_TYPE, RECORD_REFERENCE, MAKE_PASSPHRASE)
    }
    record_kind = django_field(RECORD_KIND, required=True)
    intelligence_type = django_field(INTELLIGENCE_TYPE)
    record_reference = django_field(RECORD_REFERENCE, required=True)
    make_passphrase = passphrase_field()

    def spec(self) -> PortalRecordSpec:
        """The officer's choice (after ``is_valid``)."""
        data = self.cleaned_data
        kind, wanted = data["record_kind"], data.get("intelligence_type") or ""
        return PortalRecordSpec(kind, data["record_reference"], wanted)


def _hidden(f: Field) -> Field:
    return Field(f.path, f.label, "hidden", choices=f.choices)


class ConfirmForm(MakeForm):
    """The choice made at the preview (hidden), and the passphrase typed again to make it."""

    record_kind = django_field(_hidden(RECORD_KIND), required=True)
    intelligence_type = django_field(_hidden(INTELLIGENCE_TYPE))
    record_reference = django_field(_hidden(RECORD_REFERENCE), required=True)


FORMS: Mapping[str, type[SpecForm]] = {
    "open": UnlockForm,
    "reply": ReplyForm,
    "close": CloseForm,
    "link": LinkForm,
    "preview": MakeForm,
    "make": ConfirmForm,
}
#: The form's field for each field a service names in a refusal (others: above the form).
FIELD = {"team_passphrase": "passphrase", "text": "text", "outcome": "outcome"}
MAKE_FIELD = {
    "team_passphrase": "make_passphrase",
    "kind": "record_kind",
    "intelligence_type": "intelligence_type",
    "reference": "record_reference",
}
DONE = {
    "reply": "Your reply is sealed and waiting for the reporter.",
    "close": "The report is closed with its outcome.",
    "link": "The report is linked to case {reference}.",
}
MADE = (
    "Record {reference} is made from portal report {id}. It is restricted to the safeguarding "
    "team; name someone on it to let them see it."
)


Shown = OpenedReport | PortalRecordPreview | None


def _act(actor: Actor, submission_id: int, action: str, form: SpecForm) -> Shown | str:
    """Do what the form asks; the opened report for ``open``, the record's preview for
    ``preview``, the new record's reference for ``make``. A refusal is added to the form
    (``Invalid``, or a case reference that names no case the officer may see)."""
    values = form.cleaned_data
    if action == "open":
        return services.open_submission(actor, submission_id, values["passphrase"], face="web")
    if isinstance(form, MakeForm | ConfirmForm):
        call = (
            services.preview_record_from_report
            if action == "preview"
            else services.make_record_from_report
        )
        done = call(actor, submission_id, values["make_passphrase"], form.spec(), face="web")
        return done if isinstance(done, PortalRecordPreview) else done.reference
    if action == "reply":
        services.reply_to_reporter(actor, submission_id, values["text"])
    elif action == "close":
        services.close_submission(actor, submission_id, values["outcome"])
    else:
        services.record_as_case(actor, submission_id, values["reference"])
    return None


def _post(
    request: HttpRequest, actor: Actor, submission_id: int
) -> tuple[str, SpecForm, Shown] | HttpResponse:
    """A form posted: done (a redirect with a banner, the opened report or the record's
    preview), or the form with its errors."""
    action = forms.button(request.POST, ACTIONS)
    form = FORMS[action](request.POST)
    names = MAKE_FIELD if action in ("preview", "make") else FIELD
    if form.is_valid():
        try:
            done = _act(actor, submission_id, action, form)
        except services.Invalid as exc:
            _refuse(form, names.get(exc.field, exc.field), exc.reason)
        except services.NotFound as exc:
            if exc.field != "reference":
                raise  # the report itself: not found, as for any page of it
            _refuse(form, "reference", exc.reason)
        else:
            if isinstance(done, str):  # a record made of the report: shown on its own page
                messages.success(request, MADE.format(reference=done, id=submission_id))
                return redirect("case-detail", done)
            if done is not None:
                return action, form, done
            banner = DONE[action].format(reference=form.cleaned_data.get("reference", ""))
            messages.success(request, banner)
            return redirect("triage-detail", submission_id=submission_id)
    return action, form, None


def _refuse(form: SpecForm, name: str, reason: str) -> None:
    """A service's refusal beside the field it names, in a sentence that names the field
    ("Case reference: there is no case 'X'"); above the form if it names none of the form's."""
    if name not in form.fields:
        form.add_once(None, forms.sentence(reason))
        return
    label = form.specs[name].label
    joint = " " if reason.startswith(("is ", "must ")) else ": "
    # a choice made on an earlier page (hidden here): above the form, naming it
    form.add_once(None if form.fields[name].widget.is_hidden else name, f"{label}{joint}{reason}")


@sensitive_post_parameters("passphrase", "make_passphrase", "text")  # never in an error report
@page
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A report: what it is; the passphrase form that opens it (the report and conversation
    then shown in this answer only); reply, close and link forms; and the form that makes a
    record of it (its preview, then the record made: ``_make_page``)."""
    actor = actor_of(request)
    services.require(actor, Permission.TRIAGE_REPORTS)
    report = services.triage_item(actor, submission_id, face="web")  # not found: 404
    posted: tuple[str, SpecForm, Shown] | None = None
    if request.method == "POST":
        done = _post(request, actor, submission_id)
        if isinstance(done, HttpResponse):
            return done
        posted = done
    action, form, shown = posted or ("", None, None)
    if form is not None and (action == "make" or isinstance(shown, PortalRecordPreview)):
        return _make_page(request, report, form, shown)  # a refused preview: the report's page
    opened = shown if isinstance(shown, OpenedReport) else None
    bound: dict[str, Any] = {name: cls() for name, cls in FORMS.items()}
    if form is not None:
        bound[action] = form
    if opened is not None:
        bound["open"] = UnlockForm()  # never the passphrase again
        report = opened.report
    errors = (
        forms.error_list(
            (form.field(name) for name in form.fields),
            form.non_field_errors(),
            form_id=f"triage-{action}",
        )
        if form is not None and opened is None
        else []
    )
    return render(
        request,
        "vigil/triage/detail.html",
        {"report": report, "opened": opened, "forms": bound, "errors": errors},
        status=400 if errors else 200,
    )


def _make_page(request: HttpRequest, report: Any, form: SpecForm, preview: Shown) -> HttpResponse:
    """The record a report would become, checked before it is made: its facts as its page
    would show them (decrypted for this answer only) and the form that makes it; or, when
    making it was refused, that form with its errors."""
    if isinstance(preview, PortalRecordPreview):
        confirm: SpecForm = ConfirmForm(
            initial={
                "record_kind": preview.kind,
                "intelligence_type": form.cleaned_data.get("intelligence_type") or "",
                "record_reference": preview.reference,
            }
        )
        kind_form = form_for(preview.kind)
        rows = kind_form.report_rows(preview.report)
        chosen = {"kind": preview.kind, "reference": preview.reference}
        errors = []
    else:
        confirm, kind_form, rows = form, form_for(form.data.get("record_kind")), []
        chosen = {
            "kind": form.data.get("record_kind", ""),
            "reference": form.data.get("record_reference", ""),
        }
        errors = forms.error_list(
            (confirm.field(name) for name in confirm.fields),
            confirm.non_field_errors(),
            form_id="triage-confirm",
        )
    return render(
        request,
        "vigil/triage/make.html",
        {
            "report": report,
            "preview": preview,
            "confirm": confirm,
            "form": kind_form,
            "report_rows": rows,
            "chosen": chosen,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
