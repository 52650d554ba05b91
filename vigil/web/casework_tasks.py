"""Actions and referrals from the case page, one form a page: raise an action, move it one step
on (raised -> allocated -> completed -> resulted -> filed), answer a notice of a restricted
link, make a referral, and accept or decline one with a reason. How a page reads, writes and
shows its form is in ``vigil.web.sheet``."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.enums import ACTION_ORDER, ActionState, ReferralState
from vigil.domain.investigation import Action, Referral
from vigil.web import casework_fields as cf
from vigil.web import forms
from vigil.web.sheet import Change, Sheet, form_page, now, one, read, serve, when, words

# What a step asks for, by the state it moves the action to.
STEP_FIELDS = {
    ActionState.ALLOCATED: ("owner", "note"),
    ActionState.COMPLETED: ("note",),
    ActionState.RESULTED: ("result", "note"),
    ActionState.FILED: ("note",),
}


@form_page
def new_action(request: HttpRequest, reference: str) -> HttpResponse:
    """An action raised now by the user, numbered A-1, A-2 ... unless given a reference."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    layout, taken = cf.action(state.view), [a.ref for a in state.view.actions]

    def build(entry: forms.Entry) -> Change | None:
        values = entry.given()
        values.setdefault("ref", cf.next_ref("A-", taken))
        if "kind" in values:  # "Intelligence check" is the policy's intelligence_check
            values["kind"] = "_".join(values["kind"].lower().split())
        values["history"] = ({"state": ActionState.RAISED, "at": now(), "by": actor.username},)
        action = entry.model_of(Action, values)
        if action is None:
            return None
        return Change(
            partial(services.raise_action, actor, reference, action),
            f"Action {action.ref} raised on case {reference}: {action.title}.",
        )

    sheet = Sheet("Raise an action", "Raise the action", layout, tuple(layout.fields))
    return serve(request, state, sheet, build)


@form_page
def move_action(request: HttpRequest, reference: str, action_ref: str) -> HttpResponse:
    """The action's next step: allocated (to a named owner), completed, resulted, filed."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    action = one(state.view.actions, action_ref, "action", reference)
    position = ACTION_ORDER.index(action.state)
    step = ACTION_ORDER[position + 1] if position + 1 < len(ACTION_ORDER) else None
    paths = STEP_FIELDS[step] if step else ()
    layout = forms.Layout.of(*(cf.ACTION_STEP_FIELDS[p] for p in paths))

    def build(entry: forms.Entry) -> Change | None:
        if step is None:
            return None
        if entry.has_errors:
            return None
        values = entry.given()
        step_values = {name: values.get(name) for name in ("owner", "note", "result")}
        return Change(
            partial(services.move_action, actor, reference, action.ref, step, **step_values),
            f"Action {action.ref} is now {step.value}.",
        )

    sheet = Sheet(
        f"Move action {action.ref} on",
        f"Mark it {step.value}" if step else "",
        layout,
        paths,
        required=("owner",) if step is ActionState.ALLOCATED else (),
        about=[
            ("Action", f"{action.ref}: {action.title}"),
            ("Now", f"{words(action.state)} since {when(action.history[-1].at)}"),
            ("Allocated to", action.owner or "No one yet"),
            ("Next step", words(step) if step else "None"),
        ],
        closed="" if step else "The action is filed: it cannot change.",
    )
    return serve(request, state, sheet, build, {"owner": action.owner or ""})


@form_page
def answer_notice(request: HttpRequest, reference: str, notice_ref: str) -> HttpResponse:
    """Answer a notice of a restricted link (raised by the linkage engine) with what the team
    holding the record said: the analyst's one piece of casework."""
    actor, state = read(request, reference, Permission.ANSWER_ALERT)
    notice = one(state.view.actions, notice_ref, "action", reference)
    is_open = notice.ref in services.open_notices(actor, state.view)

    def build(entry: forms.Entry) -> Change | None:
        if entry.has_errors:
            return None
        result = entry.values.get("result") or ""
        return Change(
            partial(services.answer_notice, actor, reference, notice.ref, result),
            f"Notice {notice.ref} answered on case {reference}.",
        )

    layout = forms.Layout.of(cf.ACTION_STEP_FIELDS["result"])
    sheet = Sheet(
        f"Answer notice {notice.ref}",
        "Record the answer",
        layout,
        ("result",),
        intro="Say what the team holding the record said may be shared, or what you did.",
        required=("result",),
        about=[
            ("Notice", notice.title),
            ("Allocated to", notice.owner or "No one"),
            ("Deadline", when(notice.deadline)),
        ],
        closed="" if is_open else f"Action {notice.ref} is not a notice waiting for an answer.",
    )
    return serve(request, state, sheet, build)


@form_page
def new_referral(request: HttpRequest, reference: str) -> HttpResponse:
    """A referral to another team, which a named person must accept or decline."""
    actor, state = read(request, reference, Permission.INVESTIGATE)
    taken = [r.ref for r in state.view.referrals]

    def build(entry: forms.Entry) -> Change | None:
        values = entry.given()
        values.setdefault("ref", cf.next_ref("R-", taken))
        values |= {"made_at": now(), "made_by": actor.username}
        referral = entry.model_of(Referral, values)
        if referral is None:
            return None
        return Change(
            partial(services.make_referral, actor, reference, referral),
            f"Referral {referral.ref} to {referral.to_team} made on case {reference}.",
        )

    sheet = Sheet("Make a referral", "Make the referral", cf.REFERRAL, tuple(cf.REFERRAL.fields))
    return serve(request, state, sheet, build)


@form_page
def answer_referral(request: HttpRequest, reference: str, referral_ref: str) -> HttpResponse:
    """Accept or decline a referral, with a reason (recorded with the answerer's name)."""
    actor, state = read(request, reference, Permission.ANSWER_REFERRAL)
    referral = one(state.view.referrals, referral_ref, "referral", reference)
    layout = cf.REFERRAL_ANSWER

    def build(entry: forms.Entry) -> Change | None:
        if entry.has_errors:
            return None
        accept, reason = entry.values.get("accept") == "accept", entry.values.get("reason") or ""
        return Change(
            partial(services.answer_referral, actor, reference, referral.ref, accept, reason),
            f"Referral {referral.ref} {'accepted' if accept else 'declined'} on case {reference}.",
        )

    about = [
        ("Referral", f"{referral.ref} to {referral.to_team}"),
        ("Made", f"{when(referral.made_at)} by {referral.made_by}"),
        ("Why", referral.reason),
    ]
    pending = referral.state is ReferralState.PENDING
    if not pending:
        answered = f"{when(referral.answered_at)} by {referral.answered_by}"
        about.append((words(referral.state).capitalize(), f"{answered}: {referral.answer_reason}"))
    sheet = Sheet(
        f"Answer referral {referral.ref}",
        "Record the answer",
        layout,
        tuple(layout.fields),
        required=("accept", "reason"),
        about=about,
        closed="" if pending else f"The referral was {words(referral.state)} already.",
    )
    return serve(request, state, sheet, build)
