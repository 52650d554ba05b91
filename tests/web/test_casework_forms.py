"""The casework forms reached from the case page: each writes exactly what it was given through
its service (asserted on the store), refuses bad input beside the field with nothing written,
answers 403 to a role that may not write, and 404 on a restricted case to a user not named on
it, as for a case that does not exist. Adding a person whose phone another nearby GHB death
shares raises a linkage alert. The cases are synthetic (tests/web/casework.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import T0, ghb_death, make_user, suspicious_report
from tests.signin import sign_in
from tests.web.casework import add_casework
from tests.web.test_report_form import errors_beside, rows, summary_links
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m

CASE = "C-1"


def version() -> int:
    return m.Case.objects.get(reference=CASE).version


def post(client, name: str, data: dict[str, Any], *args: str):
    """The form posted as a browser would, with the version of the case read now."""
    return client.post(reverse(name, args=[CASE, *args]), {"version": version(), **data})


@pytest.fixture
def case(officer, investigator):
    services.open_case(officer, CASE, suspicious_report(), known_at=T0)
    add_casework(investigator, CASE, T0)
    return CASE


@pytest.fixture
def signed_in(client, case):
    sign_in(client, "investigator1")
    return client


def banner(client, response) -> str:
    assert response.status_code == 302, errors_beside(response)
    assert response["Location"] == reverse("case-detail", args=[CASE])
    page = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    return re.search(r'notification-banner__heading">([^<]+)<', page).group(1)


# --- add a person

PERSON = {
    "name": "Sam Witnessperson",
    "sex": "female",
    "roles": ["witness", "friend"],
    **rows(
        "identifiers",
        {"kind": "phone", "value": "07700 900123"},
        {"kind": "email", "value": "Sam@Example.com"},
        {"kind": "phone", "value": ""},
    ),
    "statement": "Saw two men with him at the gate.",
}


def test_the_person_form_offers_every_role_and_three_identifier_rows(signed_in):
    html = signed_in.get(reverse("case-person-new", args=[CASE])).content.decode()
    for role in ("caller", "friend", "next_of_kin", "person_of_interest", "witness"):
        assert f'type="checkbox" value="{role}"' in html
    assert all(f'id="identifiers-{i}-value"' in html for i in range(3))
    assert re.search(r'name="version" value="\d+"', html)


def test_adding_a_person_records_them_with_their_identifiers(signed_in):
    before = m.Identifier.objects.count()
    response = post(signed_in, "case-person-new", PERSON)
    assert banner(signed_in, response) == (
        "Sam Witnessperson recorded on case C-1 as witness, friend."
    )
    # Left empty, their ref is Vigil's to allocate, and cannot be guessed.
    link = m.CasePerson.objects.get(case__reference=CASE, person__name="Sam Witnessperson")
    assert re.fullmatch(r"P-[0-9a-f]{12}", link.person.ref) and link.external_ref == ""
    assert link.roles == ["witness", "friend"] and link.recorded_by == "investigator1"
    assert link.statement == "Saw two men with him at the gate."
    assert link.person.name == "Sam Witnessperson" and link.person.sex == "female"
    added = m.Identifier.objects.filter(person=link.person).values_list("kind", "normalised")
    assert sorted(added) == [
        ("email", "sam@example.com"),
        ("name", "sam witnessperson"),
        ("phone", "+447700900123"),
    ]
    assert m.Identifier.objects.count() == before + 3  # the blank row is ignored


@pytest.mark.parametrize(
    ("changes_", "field", "message"),
    [
        ({"roles": []}, "roles", "Their part in the case: select at least one"),
        (
            {"identifiers-0-value": "not a phone"},
            "identifiers-0-value",
            "Identifier 1: 'not a phone' is not a phone number",
        ),
        ({"date_of_birth": "1990-02-31"}, "date_of_birth", "Date of birth: enter a real date"),
    ],
)
def test_a_person_refused_is_shown_again_and_nothing_is_written(
    signed_in, changes_, field, message
):
    persons, read = m.Person.objects.count(), version()
    response = post(signed_in, "case-person-new", {**PERSON, **changes_})
    assert response.status_code == 200
    assert errors_beside(response)[field].startswith(message), errors_beside(response)
    assert field in summary_links(response)
    assert m.Person.objects.count() == persons and version() == read
    html = response.content.decode()
    assert 'value="Sam Witnessperson"' in html and "Saw two men with him at the gate." in html
    assert b"<title>Error: Add a person" in response.content


def test_an_error_in_a_row_is_beside_the_row_it_was_typed_in(signed_in):
    """The first row left empty is not sent on to the model, yet the model's error about its
    first identifier is shown beside the second row, where it was typed."""
    data = {
        **PERSON,
        **rows("identifiers", {"kind": "phone", "value": ""}, {"kind": "phone", "value": "call"}),
    }
    response = post(signed_in, "case-person-new", data)
    errors = errors_beside(response)
    assert list(errors) == ["identifiers-1-value"], errors
    assert errors["identifiers-1-value"].startswith("Identifier 2: 'call' is not a phone number")
    assert summary_links(response) == ["identifiers-1-value"]
    assert not m.Person.objects.filter(name="Sam Witnessperson").exists()


def test_a_form_that_lost_its_version_changes_nothing(signed_in):
    response = signed_in.post(reverse("case-person-new", args=[CASE]), PERSON)
    assert response.status_code == 200
    assert "The form lost the version of the case it was read at" in response.content.decode()
    assert summary_links(response) == ["casework-form"]
    assert not m.Person.objects.filter(name="Sam Witnessperson").exists()


def test_a_stale_form_changes_nothing(signed_in, investigator):
    read = version()
    services.record_facts(investigator, CASE, suspicious_report(scene__wallet="missing"))
    response = signed_in.post(reverse("case-person-new", args=[CASE]), {**PERSON, "version": read})
    assert response.status_code == 200
    assert "has changed since you read it" in response.content.decode()
    assert 'href="#casework-form"' in response.content.decode()
    assert not m.Person.objects.filter(ref="C-1-P1").exists()


def test_a_shared_phone_on_a_new_person_raises_a_linkage_alert(client, officer, investigator):
    """Two deaths 3 km and four months apart, not alike enough for an alert by themselves (a
    young man in a churchyard; another at home, no note, nothing missing). The caller
    on the first gives a phone; a friend recorded on the second with the same number, written
    otherwise, raises one."""
    ghb_death("G-1", 0, 51.5386, 0.0811, officer)
    other = suspicious_report(
        found_at=T0 + timedelta(days=120),
        reported_at=T0 + timedelta(days=120, minutes=20),
        location__address="4 Testing Road, London E6 3AB",
        location__latitude=51.5600,
        location__longitude=0.1200,
        location__place_type="home",
        deceased__name="Pat Otherperson",
        deceased__age=31,
        scene__phone="present",
        scene__moved_after_death=False,
        scene__note_present=False,
    )
    services.open_case(officer, "G-2", other, known_at=T0 + timedelta(days=120))
    sign_in(client, "investigator1")
    for reference, role, phone in (
        ("G-1", "caller", "07700 900461"),
        ("G-2", "friend", "+44 7700 900461"),
    ):
        assert not m.Alert.objects.exists()
        response = client.post(
            reverse("case-person-new", args=[reference]),
            {
                "version": m.Case.objects.get(reference=reference).version,
                "roles": [role],
                **rows("identifiers", {"kind": "phone", "value": phone}),
            },
        )
        assert response.status_code == 302, errors_beside(response)
    alert = m.Alert.objects.select_related("link__case_a", "link__case_b").get()
    assert {alert.link.case_a.reference, alert.link.case_b.reference} == {"G-1", "G-2"}
    assert any("+447700900461" in str(r) for r in alert.link.reasons)


# --- the other forms: a success, a refusal beside the field, nothing written when refused

LATER = "2015-06-03T10:00"


def liaison() -> Any:
    return m.LiaisonEntry.objects.filter(case__reference=CASE)


FORMS: dict[str, dict[str, Any]] = {
    "case-liaison-new": {
        "data": {
            "person_ref": "C-1-MUM",
            "at": LATER,
            "method": "phone",
            "officer": "DC Liaison",
            "summary": "Asked about the inquest.",
            **rows("concerns", {"text": "Why was his phone never found?"}, {"text": ""}),
        },
        "bad": ({"summary": ""}, "summary", "What they said: enter it"),
    },
    "case-exhibit-new": {
        "data": {
            "ref": "JD/2",
            "description": "Bottle of clear liquid",
            "kind": "container",
            "seizure.at": "2015-06-01T08:00",
            "seizure.from_holder": "scene",
            "seizure.to_holder": "PC Scene",
            "seizure.by": "PC Scene",
        },
        "bad": ({"seizure.by": ""}, "seizure-by", "Seized by: enter it"),
    },
    "case-action-new": {
        "data": {
            "title": "Check the friend on police systems",
            "kind": "Intelligence check",
            "subject": "C-1-CALLER",
            "deadline": "2015-06-04T12:00",
        },
        "bad": ({"title": " "}, "title", "What is to be done: enter it"),
    },
    "case-referral-new": {
        "data": {"to_team": "Homicide and Major Crime Command", "reason": "A second death."},
        "bad": ({"to_team": ""}, "to_team", "To which team: enter it"),
    },
}


def on_case(person: m.Person) -> str:
    """The ref a person goes by on the case: the one given for them there, else their own."""
    given = m.CasePerson.objects.get(case__reference=CASE, person=person).external_ref
    return given or person.ref


def stored(name: str) -> list[Any]:
    """What each form writes, as the store holds it."""
    if name == "case-liaison-new":
        return [(on_case(e.person), e.method, e.officer, e.summary) for e in liaison()]
    if name == "case-exhibit-new":
        return list(m.Exhibit.objects.filter(case__reference=CASE).values_list("ref", "kind"))
    if name == "case-action-new":
        rows = m.Action.objects.filter(case__reference=CASE)
        return [(a.ref, a.kind, a.state, on_case(a.subject) if a.subject else "") for a in rows]
    return list(m.Referral.objects.filter(case__reference=CASE).values_list("ref", "to_team"))


@pytest.mark.parametrize("name", FORMS)
def test_each_form_records_what_it_is_given(signed_in, name):
    before = stored(name)
    response = post(signed_in, name, FORMS[name]["data"])
    assert response.status_code == 302, errors_beside(response)
    added = stored(name)[len(before) :]
    expected = {
        "case-liaison-new": [("C-1-MUM", "phone", "DC Liaison", "Asked about the inquest.")],
        "case-exhibit-new": [("JD/2", "container")],
        "case-action-new": [("A-2", "intelligence_check", "raised", "C-1-CALLER")],
        "case-referral-new": [("R-2", "Homicide and Major Crime Command")],
    }[name]
    assert added == expected
    assert stored(name)[: len(before)] == before


@pytest.mark.parametrize("name", FORMS)
def test_each_form_refuses_bad_input_beside_the_field(signed_in, name):
    change, field, message = FORMS[name]["bad"]
    before, read = stored(name), version()
    response = post(signed_in, name, {**FORMS[name]["data"], **change})
    assert response.status_code == 200
    assert errors_beside(response).get(field, "").startswith(message), errors_beside(response)
    assert field in summary_links(response)
    assert stored(name) == before and version() == read


def test_logging_contact_records_the_concerns_raised(signed_in):
    post(signed_in, "case-liaison-new", FORMS["case-liaison-new"]["data"])
    entry = liaison().get(summary="Asked about the inquest.")
    assert [c.text for c in entry.concerns.all()] == ["Why was his phone never found?"]
    assert entry.recorded_by == "investigator1"


def test_an_exhibit_is_recorded_with_its_seizure_and_then_a_custody_step(signed_in):
    response = post(signed_in, "case-exhibit-new", FORMS["case-exhibit-new"]["data"])
    assert banner(signed_in, response) == "Exhibit JD/2 recorded on case C-1."
    exhibit = m.Exhibit.objects.get(case__reference=CASE, ref="JD/2")
    assert [(e.kind, e.from_holder, e.to_holder) for e in exhibit.custody.all()] == [
        ("seized", "scene", "PC Scene")
    ]
    step = {
        "kind": "booked_in",
        "at": "2015-06-01T09:00",
        "from_holder": "PC Scene",
        "to_holder": "Property store",
        "by": "PC Scene",
    }
    response = post(signed_in, "case-custody-new", step, "JD/2")  # a reference with "/"
    assert banner(signed_in, response) == "Exhibit JD/2: booked in recorded on case C-1."
    assert [e.kind for e in exhibit.custody.all()] == ["seized", "booked_in"]


def test_a_gap_in_custody_is_refused_beside_the_field(signed_in):
    page = signed_in.get(reverse("case-custody-new", args=[CASE, "EX-1"]))
    assert 'value="Forensic lab"' in page.content.decode()  # where the last step ended
    events = m.CustodyEvent.objects.count()
    response = post(
        signed_in,
        "case-custody-new",
        {
            "kind": "returned",
            "at": "2015-06-05T09:00",
            "from_holder": "Someone else",
            "to_holder": "PC Scene",
            "by": "PC Scene",
        },
        "EX-1",
    )
    assert errors_beside(response)["from_holder"].startswith("From: gap in custody")
    assert m.CustodyEvent.objects.count() == events


def test_a_taken_exhibit_reference_is_refused_beside_it(signed_in):
    data = {**FORMS["case-exhibit-new"]["data"], "ref": "EX-1"}
    response = post(signed_in, "case-exhibit-new", data)
    assert errors_beside(response)["ref"] == "Exhibit reference: exhibit EX-1 is recorded already"
    assert m.Exhibit.objects.filter(case__reference=CASE).count() == 1


def test_moving_an_action_on_allocates_it_to_a_named_owner(signed_in):
    refused = post(signed_in, "case-action-move", {"owner": "", "note": "Urgent"}, "A-1")
    assert errors_beside(refused)["owner"] == "Allocated to: enter it"
    assert m.Action.objects.get(case__reference=CASE, ref="A-1").state == "raised"
    nobody = post(signed_in, "case-action-move", {"owner": "dc-smith", "note": "Urgent"}, "A-1")
    assert "no active Vigil user 'dc-smith'" in errors_beside(nobody)["owner"]
    assert m.Action.objects.get(case__reference=CASE, ref="A-1").state == "raised"
    data = {"owner": "investigator1", "note": "Urgent"}
    response = post(signed_in, "case-action-move", data, "A-1")
    assert banner(signed_in, response) == "Action A-1 is now allocated."
    action = m.Action.objects.get(case__reference=CASE, ref="A-1")
    assert (action.state, action.owner) == ("allocated", "investigator1")
    assert list(action.steps.values_list("state", "note")) == [
        ("raised", ""),
        ("allocated", "Urgent"),
    ]


def test_answering_a_concern(signed_in):
    concern = m.Concern.objects.get(entry__case__reference=CASE)
    refused = post(signed_in, "case-concern-answer", {"concern": str(concern.pk), "answer": ""})
    assert errors_beside(refused)["answer"] == "Your answer: enter it"
    concern.refresh_from_db()
    assert concern.answer == ""
    answer = "CCTV shows him with two men; enquiries continue."
    response = post(
        signed_in, "case-concern-answer", {"concern": str(concern.pk), "answer": answer}
    )
    assert banner(signed_in, response) == (
        "The concern “Who was he with that night?” is answered on case C-1."
    )
    concern.refresh_from_db()
    assert (concern.answer, concern.answered_by) == (answer, "investigator1")
    page = signed_in.get(reverse("case-concern-answer", args=[CASE])).content.decode()
    assert "No concern of family or friends is waiting for an answer." in page


def test_answering_a_referral_needs_a_reason(signed_in):
    refused = post(signed_in, "case-referral-answer", {"accept": "accept", "reason": ""}, "R-1")
    assert errors_beside(refused)["reason"] == "Reason: enter it"
    assert m.Referral.objects.get(case__reference=CASE, ref="R-1").state == "pending"
    response = post(
        signed_in, "case-referral-answer", {"accept": "decline", "reason": "Not ours."}, "R-1"
    )
    assert banner(signed_in, response) == "Referral R-1 declined on case C-1."
    referral = m.Referral.objects.get(case__reference=CASE, ref="R-1")
    assert (referral.state, referral.answered_by, referral.answer_reason) == (
        "declined",
        "investigator1",
        "Not ours.",
    )


# --- who may


PAGES = [
    ("case-person-new", ()),
    ("case-liaison-new", ()),
    ("case-concern-answer", ()),
    ("case-exhibit-new", ()),
    ("case-custody-new", ("EX-1",)),
    ("case-action-new", ()),
    ("case-action-move", ("A-1",)),
    ("case-referral-new", ()),
    ("case-referral-answer", ("R-1",)),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_role_that_may_not_write_gets_403_and_writes_nothing(client, case, analyst, name, args):
    sign_in(client, "analyst1")
    read = version()
    url = reverse(name, args=[CASE, *args])
    assert client.get(url).status_code == 403
    assert client.post(url, {**PERSON, "version": read}).status_code == 403
    assert version() == read


def test_a_response_officer_may_not_answer_a_referral(client, case, officer):
    sign_in(client, "officer1")
    url = reverse("case-referral-answer", args=[CASE, "R-1"])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"accept": "accept", "reason": "Yes.", "version": version()}).status_code
        == 403
    )
    assert m.Referral.objects.get(case__reference=CASE, ref="R-1").state == "pending"


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_restricted_case_is_not_found_by_a_user_not_named_on_it(
    client, case, sergeant, name, args
):
    services.restrict_case(sergeant, CASE)
    make_user("investigator2", UserRole.INVESTIGATOR)
    sign_in(client, "investigator2")
    hidden = client.get(reverse(name, args=[CASE, *args]))
    missing = client.get(reverse(name, args=["NOPE-1", *args]))
    assert hidden.status_code == missing.status_code == 404
    read = version()
    assert client.post(reverse(name, args=[CASE, *args]), {"version": read}).status_code == 404
    assert version() == read


def test_the_case_page_links_to_each_form(signed_in):
    html = signed_in.get(reverse("case-detail", args=[CASE])).content.decode()
    for name, args in PAGES:
        assert f'href="{reverse(name, args=[CASE, *args])}"' in html, name


def test_the_case_page_offers_no_form_to_a_role_that_may_not_write(client, case, analyst):
    sign_in(client, "analyst1")
    html = client.get(reverse("case-detail", args=[CASE])).content.decode()
    assert not any(reverse(name, args=[CASE, *args]) in html for name, args in PAGES)
