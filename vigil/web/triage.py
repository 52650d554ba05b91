"""The safeguarding team's pages for the portal's reports: the triage queue (what each report
is, never what it says) and a report's page, where an officer types the team's passphrase to
open it, reads the report and the conversation, replies, closes it with an outcome, or links
it to a case.

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
from vigil.services import TRIAGE_KINDS, TRIAGE_STATUSES, OpenedReport, TriageFilters
from vigil.web import forms
from vigil.web.common import actor_of
from vigil.web.formfields import TEMPLATES, SpecForm, form_class
from vigil.web.lists import ANY, read_filters, sort_params
from vigil.web.report_fields import Field
from vigil.web.views import page

PAGE = 50
ACTIONS = ("open", "reply", "close", "link")

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


class UnlockForm(SpecForm):
    """The team's passphrase, to open one report."""

    base_specs = {"passphrase": PASSPHRASE}
    passphrase = django_forms.CharField(
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
FORMS: Mapping[str, type[SpecForm]] = {
    "open": UnlockForm,
    "reply": ReplyForm,
    "close": CloseForm,
    "link": LinkForm,
}
#: The form's field for each field a service names in a refusal (others: above the form).
FIELD = {"team_passphrase": "passphrase", "text": "text", "outcome": "outcome"}
DONE = {
    "reply": "Your reply is sealed and waiting for the reporter.",
    "close": "The report is closed with its outcome.",
    "link": "The report is linked to case {reference}.",
}


def _act(actor: Actor, submission_id: int, action: str, form: SpecForm) -> OpenedReport | None:
    """Do what the form asks; the opened report for ``open``. A refusal is added to the form
    (``Invalid``, or a case reference that names no case the officer may see)."""
    values = form.cleaned_data
    if action == "open":
        return services.open_submission(actor, submission_id, values["passphrase"], face="web")
    if action == "reply":
        services.reply_to_reporter(actor, submission_id, values["text"])
    elif action == "close":
        services.close_submission(actor, submission_id, values["outcome"])
    else:
        services.record_as_case(actor, submission_id, values["reference"])
    return None


def _post(
    request: HttpRequest, actor: Actor, submission_id: int
) -> tuple[str, SpecForm, OpenedReport | None] | HttpResponse:
    """A form posted: done (a redirect with a banner, or the opened report), or the form with
    its errors."""
    action = forms.button(request.POST, ACTIONS)
    form = FORMS[action](request.POST)
    if form.is_valid():
        try:
            opened = _act(actor, submission_id, action, form)
        except services.Invalid as exc:
            _refuse(form, FIELD.get(exc.field, exc.field), exc.reason)
        except services.NotFound as exc:
            if exc.field != "reference":
                raise  # the report itself: not found, as for any page of it
            _refuse(form, "reference", exc.reason)
        else:
            if opened is not None:
                return action, form, opened
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
    form.add_once(name, f"{label}{joint}{reason}")


@sensitive_post_parameters("passphrase", "text")  # never in an error report
@page
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A report: what it is; the passphrase form that opens it (the report and conversation
    then shown in this answer only); reply, close and link forms."""
    actor = actor_of(request)
    services.require(actor, Permission.TRIAGE_REPORTS)
    report = services.triage_item(actor, submission_id, face="web")  # not found: 404
    posted: tuple[str, SpecForm, OpenedReport | None] | None = None
    if request.method == "POST":
        done = _post(request, actor, submission_id)
        if isinstance(done, HttpResponse):
            return done
        posted = done
    action, form, opened = posted or ("", None, None)
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
