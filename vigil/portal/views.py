"""The portal's pages: the start page, the two reports, the receipt code, and coming back.

Each view parses what was sent with a Django form, calls a service and renders the answer;
a refused form comes back with everything that was typed and the reason beside its field. The
receipt code travels only in the body of a POST (typed in, or in a hidden input of the page
that shows the conversation), never in an address, a cookie or a log.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from vigil import services
from vigil.portal.forms import (
    CODE_LAYOUT,
    DRUGGING,
    FAMILY_CONCERN,
    MESSAGE,
    MESSAGE_LAYOUT,
    code_of,
    report_layout,
    sections,
    sent,
)
from vigil.portal.headers import portal_page
from vigil.web.forms import Entry, button, error_list

TITLES = {
    DRUGGING: "Tell us about drugging or sexual violence",
    FAMILY_CONCERN: "Tell us you are worried about how a death is being investigated",
}
INTROS = {
    DRUGGING: "Whether it happened to you or to someone else, and whether it was last night or "
    "years ago, we want to know. Everything about the person who did it helps, even a "
    "profile name or a description.",
    FAMILY_CONCERN: "You knew them, and you think something about how their death is being "
    "investigated is not right, or you know something police may not. You do not have to be "
    "their family: partners, friends and flatmates matter to us too.",
}


def _today() -> date:
    """The day, where Vigil is: all the portal keeps of when anything happened."""
    return timezone.localdate()


def _errors(entry: Entry, form_id: str) -> list[tuple[str, str]]:
    return error_list(entry.bound_fields(), entry.form.non_field_errors(), form_id=form_id)


def _report_page(request: HttpRequest, kind: str, entry: Entry | None = None) -> HttpResponse:
    if not services.portal_ready():
        return render(request, "portal/unavailable.html")
    entry = entry or report_layout(kind).entry()
    context = {
        "kind": kind,
        "title": TITLES[kind],
        "intro": INTROS[kind],
        "sections": sections(kind, entry),
        "errors": _errors(entry, "report"),
        "token": services.portal_form_token(f"report:{kind}"),
    }
    return render(request, "portal/report.html", context)


@portal_page
def start(request: HttpRequest) -> HttpResponse:
    """What the portal is, who reads it, what happens next, and the ways in."""
    return render(request, "portal/start.html", {"ready": services.portal_ready()})


@portal_page
def drugging(request: HttpRequest) -> HttpResponse:
    """A report of drugging or sexual violence (it posts to ``done``)."""
    return _report_page(request, DRUGGING)


@portal_page
def concern(request: HttpRequest) -> HttpResponse:
    """A family's or friend's worry about how a death is being investigated."""
    return _report_page(request, FAMILY_CONCERN)


@portal_page
def done(request: HttpRequest) -> HttpResponseBase:
    """Send a report and show its receipt code, once; or the report's page again with what
    was typed and why it was not sent."""
    token, kind = sent(request.POST) if request.method == "POST" else ("", "")
    if not kind:
        return redirect("portal-start")
    entry = report_layout(kind).entry(request.POST)
    if not entry.has_errors:
        try:
            code = services.portal_submit(kind, entry.given(), token, _today())
        except services.Invalid as refusal:
            entry.add(refusal.field or None, refusal.reason)
        else:
            context = {
                "code": code,
                "words": code.split(),
                "contact": entry.values.get("contact") == "yes",
            }
            return render(request, "portal/done.html", context)
    return _report_page(request, kind, entry)


def _code_page(request: HttpRequest, entry: Entry) -> HttpResponse:
    context = {"fields": [entry.bound("code")], "errors": _errors(entry, "code-form")}
    return render(request, "portal/return.html", context)


def _conversation_page(
    request: HttpRequest,
    conversation: services.PortalConversation,
    entry: Entry,
    *,
    just_sent: bool = False,
) -> HttpResponse:
    context = {
        "conversation": conversation,
        "kind_title": TITLES.get(conversation.kind, "Your report"),
        "answers": services.portal_answer_rows(conversation.kind, conversation.answers),
        "fields": [entry.bound("code"), entry.bound("text")],
        "errors": _errors(entry, "message-form"),
        "token": services.portal_form_token(MESSAGE),
        "sent": just_sent,
    }
    return render(request, "portal/return.html", context)


def _read(request: HttpRequest) -> HttpResponse:
    entry = CODE_LAYOUT.entry(request.POST)
    try:
        conversation = services.portal_come_back(code_of(entry), _today())
    except services.Invalid as refusal:
        entry.add("code", refusal.reason)
        return _code_page(request, entry)
    blank = MESSAGE_LAYOUT.entry(initial={"code": code_of(entry)})
    return _conversation_page(request, conversation, blank)


def _back_to_code(request: HttpRequest, reason: str) -> HttpResponse:
    """The page asking for the receipt code, saying why the one sent opened nothing."""
    entry = CODE_LAYOUT.entry({"code": ""})
    entry.add("code", reason)
    return _code_page(request, entry)


def _write(request: HttpRequest) -> HttpResponse:
    token, _ = sent(request.POST)
    entry = MESSAGE_LAYOUT.entry(request.POST)
    code, text = code_of(entry), str(entry.values.get("text") or "")
    try:
        conversation = services.portal_add_message(code, text, token, _today())
        blank = MESSAGE_LAYOUT.entry(initial={"code": code})
        return _conversation_page(request, conversation, blank, just_sent=True)
    except services.Invalid as refusal:
        if refusal.field == "code":
            return _back_to_code(request, refusal.reason)
        entry.add(refusal.field or None, refusal.reason)
    try:  # the message was refused: the conversation again, with what was typed
        return _conversation_page(request, services.portal_come_back(code, _today()), entry)
    except services.Invalid as refusal:
        return _back_to_code(request, refusal.reason)


@portal_page
def come_back(request: HttpRequest) -> HttpResponse:
    """Come back with the receipt code: read the report and the replies, add a message."""
    if request.method != "POST":
        return _code_page(request, CODE_LAYOUT.entry())
    if button(request.POST, ("read", "message")) == "message":
        return _write(request)
    return _read(request)
