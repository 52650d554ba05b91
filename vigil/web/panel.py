"""The independent advisory panel's pages: referring a case (from its page) or a series (from
its page) to the panel, the panel member's queue, the supervisors' list of referrals, and one
referral with its review pack, the advice form and the answer to the advice; the pack as a PDF.

Every rule is the services' (``vigil.services.casework.panel``, ``readmodels.panel``,
``readmodels.panelpack``): who may refer, advise or answer, need-to-know, the pack's masking
(the panel's role, whoever reads it) and the audit. The forms are Django forms built from field
lists (``vigil.web.forms``), shown with the GOV.UK field templates; a refusal lands beside the
field it names.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.masking import WITHHELD
from vigil.services import ReviewPack, may
from vigil.web import forms
from vigil.web.casefile import case_file_html, pdf_of
from vigil.web.common import actor_of
from vigil.web.report_fields import F
from vigil.web.sheet import form_page, when, words
from vigil.web.views import checklist, page

FORM_ID = "panel-form"
ANSWERS = (("yes", "Accepted"), ("no", "Not accepted"))
ADVICE = forms.Layout.of(
    F(
        "text",
        "Your advice",
        "textarea",
        hint="Recorded with your name. The referring officer must answer it, accepted or not, "
        f"with a reason, within {services.ANSWER_WITHIN.days} days.",
    )
)
ANSWER = forms.Layout.of(
    F("accepted", "Your answer to the advice", "radios", choices=ANSWERS),
    F("reason", "Reason", "textarea", hint="Recorded with your name on the referral."),
)


def refer_layout(members: list[str]) -> forms.Layout:
    """The referral form: the question, whom it is put to, and when the advice is due."""
    return forms.Layout.of(
        F(
            "question",
            "Your question for the panel",
            "textarea",
            hint="The panel reads the case without names, identifiers or exact places, and so "
            "does this question: write it without them.",
        ),
        F(
            "panel_member",
            "Put it to",
            "radios",
            choices=(("", "Any panel member"), *((name, name) for name in members)),
            hint="A restricted case goes only to a panel member named on it.",
        ),
        F(
            "answer_due",
            "Advice due by",
            "datetime",
            hint=f"Leave it empty and the advice is due in {services.ADVICE_WITHIN.days} days.",
        ),
    )


def _errors(entry: forms.Entry) -> list[tuple[str, str]]:
    return forms.error_list(entry.bound_fields(), entry.form.non_field_errors(), form_id=FORM_ID)


def _refer(request: HttpRequest, reference: str, *, series: bool) -> HttpResponse:
    actor = actor_of(request)
    services.require(actor, Permission.REFER_TO_PANEL)
    if series:
        found = services.series_of(actor, reference, face="web")
        subject, cases = found.name, [c.reference for c in found.cases]
        back = ("series-detail", found.name.removeprefix("Series "))
    else:
        state = services.view_case(actor, reference, face="web")
        subject, cases = f"Case {state.view.reference}", [state.view.reference]
        back = ("case-detail", state.view.reference)
    layout = refer_layout(services.panel_members(actor))
    entry = layout.entry(request.POST if request.method == "POST" else None, initial={})
    if request.method == "POST" and not entry.has_errors:
        values = entry.values
        try:
            made = services.refer_to_panel(
                actor,
                reference,
                values.get("question") or "",
                series=series,
                panel_member=values.get("panel_member") or "",
                answer_due=values.get("answer_due"),
            )
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            messages.success(request, f"{made.name} referred to the advisory panel.")
            return redirect("panel-referral", made.id)
    context = {
        "title": f"Refer the {'series' if series else 'case'} to the panel",
        "caption": subject,
        "about": [("Cases", ", ".join(cases))],
        "fields": [entry.bound(p) for p in layout.fields],
        "errors": _errors(entry),
        "button": "Refer to the panel",
        "back": back,
    }
    return render(
        request, "vigil/panel/refer.html", context, status=400 if entry.has_errors else 200
    )


@form_page
def refer_case(request: HttpRequest, reference: str) -> HttpResponse:
    """Refer the case to the panel with a question."""
    return _refer(request, reference, series=False)


@form_page
def refer_series(request: HttpRequest, reference: str) -> HttpResponse:
    """Refer the confirmed series the case is in to the panel with a question."""
    return _refer(request, reference, series=True)


@page
def queue(request: HttpRequest) -> HttpResponse:
    """The panel member's queue: what awaits their advice first."""
    rows = services.panel_queue(actor_of(request), face="web")
    return render(request, "vigil/panel/queue.html", {"rows": rows})


@page
def referrals(request: HttpRequest) -> HttpResponse:
    """The supervisors' list: advice awaiting an answer first."""
    rows = services.panel_referrals(actor_of(request), face="web")
    context = {"rows": rows, "answer_days": services.ANSWER_WITHIN.days}
    return render(request, "vigil/panel/referrals.html", context)


def _posted(
    request: HttpRequest, actor: Actor, referral_id: int
) -> tuple[str, forms.Entry | None, str]:
    """The form posted (``form``: 'advice' or 'answer-<advice id>'), its entry (with its
    errors, if refused) and the banner ('' if nothing was made)."""
    which = forms.hidden_text(request.POST, "form")
    if which == "advice":
        entry = ADVICE.entry(request.POST, prefix="advice", required=("text",))
        if not entry.has_errors:
            try:
                services.record_advice(actor, referral_id, entry.values.get("text") or "")
            except services.Invalid as exc:
                entry.refuse(exc.field, exc.reason)
            else:
                return which, entry, "Your advice is recorded."
        return which, entry, ""
    number = re.fullmatch(r"answer-(\d{1,18})", which)
    if number is None:
        return which, None, ""
    entry = ANSWER.entry(request.POST, prefix=which, required=("accepted", "reason"))
    if not entry.has_errors:
        accepted = entry.values.get("accepted") == "yes"
        try:
            services.answer_advice(
                actor, int(number.group(1)), accepted, entry.values.get("reason") or ""
            )
        except services.Invalid as exc:
            entry.refuse(exc.field, exc.reason)
        else:
            said = "accepted" if accepted else "not accepted"
            return which, entry, f"Your answer is recorded: {said}."
    return which, entry, ""


def _place(view: Any) -> str:
    place = view.report.location
    kind = words(place.place_type).capitalize() if place.place_type else "Place not known"
    if place.latitude is None or place.longitude is None:
        return kind
    return f"{kind}, about {place.latitude:.2f}, {place.longitude:.2f}"


def pack_cases(pack: ReviewPack) -> list[dict[str, Any]]:
    """Each case of the pack in a few rows, as the panel sees it."""
    out = []
    for content in pack.pages:
        view, evaluation = content.state.view, content.state.evaluation
        report = view.report
        deceased = report.deceased
        age = f", aged {deceased.age}" if deceased.age is not None else ""
        rows = [
            ("Category", evaluation.category.label if evaluation else "None: not a death"),
            ("Found", when(report.found_at or report.reported_at)),
            ("Place", _place(view)),
            ("Deceased", f"{words(deceased.sex).capitalize()}{age}"),
            ("Substances", ", ".join(report.toxicology.substances) or "None recorded"),
            ("Circumstances", report.circumstances or "Not recorded"),
            ("First account", report.first_account.account or "Not recorded"),
        ]
        persons = [
            (
                p.name if p.name and p.name != WITHHELD else "Name withheld",
                words(", ".join(p.roles)),
            )
            for p in view.persons
        ]
        out.append(
            {
                "reference": view.reference,
                "rows": rows,
                "persons": persons,
                "checklist": checklist(evaluation),
            }
        )
    return out


@form_page
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """A referral: its question, the review pack as the panel sees it, the advice given with
    the answers to it, and the forms for whoever may give or answer advice."""
    actor = actor_of(request)
    which, posted, banner = "", None, ""
    if request.method == "POST":
        which, posted, banner = _posted(request, actor, referral_id)
        if banner:
            messages.success(request, banner)
            return redirect("panel-referral", referral_id)
    pack = services.review_pack(actor, referral_id, face="web")
    shown = pack.referral
    advice_form = ADVICE.entry(prefix="advice")
    answer_forms = {a.id: ANSWER.entry(prefix=f"answer-{a.id}") for a in shown.advice}
    if posted is not None and which == "advice":
        advice_form = posted
    elif posted is not None:
        answer_forms[int(which.removeprefix("answer-"))] = posted
    may_advise = may(actor, Permission.ADVISE) and shown.panel_member in ("", actor.username)
    context = {
        "referral": shown,
        "pack": pack,
        "cases": pack_cases(pack),
        "series": pack.series,
        "may_advise": may_advise,
        "may_answer": may(actor, Permission.REFER_TO_PANEL),
        "advice_fields": [advice_form.bound(p) for p in ADVICE.fields],
        "advice": [(a, [answer_forms[a.id].bound(p) for p in ANSWER.fields]) for a in shown.advice],
        "errors": _errors(posted) if posted is not None else [],
    }
    status = 400 if posted is not None else 200
    return render(request, "vigil/panel/referral.html", context, status=status)


@page
@require_GET
def pack_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The review pack as a PDF: the referral, then each case's file as the panel sees it."""
    actor = actor_of(request)
    pack = services.review_pack(actor, referral_id, face="pdf")
    reader = services.as_panel(actor)
    bodies = [
        case_file_html(request, reader, content).split("<body>", 1)[1].rsplit("</body>", 1)[0]
        for content in pack.pages
    ]
    head = render_to_string(
        "vigil/panel/pack_file.html",
        {"referral": pack.referral, "series": pack.series, "reader": actor.username},
        request=request,
    )
    html = head.replace("</body></html>", "".join(bodies) + "</body></html>")
    pdf = pdf_of(html, f"{referral_id}", title="Review pack for the advisory panel, referral")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-pack-{referral_id}.pdf"'
    return response
