"""A portal report made into a record of its own (issue 13, item 3): a drugging report or an
intelligence entry opened through the normal writer from the decrypted answers, restricted to
the safeguarding team, linked at once (an alert on a death sharing the person reported's
handle), the submission pointing to it and the trail saying who made it from which report.
The reporter's contact route never reaches the record. Synthetic people only: handles and
numbers are invented, phones in Ofcom's drama range."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import T0, make_user, suspicious_report
from tests.triage import ANSWERS, SECRET_WORDS, TEAM_PASSPHRASE, install_team_key, make_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.portal.records import RecordSpec, draft

DRUGGING = RecordSpec("drugging", "R-1")
FULL = {
    **ANSWERS,
    "where": "The flat above the chip shop, Ripple Road",
    "substances": "GHB, maybe alcohol",
    "met_how": "On an app",
    "app": "Grindr",
    "name_used": "Gabriel",
    "address": "14 Elm Road, London E6 2AB",
    "description": "Tall, shaved head, a scorpion tattoo on his neck.",
}


@pytest.fixture
def officer_sg(db, settings):
    install_team_key(settings)
    return make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)


def audited() -> str:
    return " ".join(f"{r.event} {r.target_ref} {r.payload}" for r in AuditEntry.objects.all())


def _death_naming_the_handle(officer) -> None:
    services.open_case(officer, "D-1", suspicious_report(), known_at=T0)
    friend = PersonEntry(
        ref="P-F",
        name="Robin Testfriend",
        roles=["friend"],
        statement="He went to meet a man he knew as @quietfox_test; his number was 07700 900982.",
    )
    services.record_person(officer, "D-1", friend)


def test_the_record_holds_the_reports_facts_and_the_submission_points_to_it(officer_sg, settings):
    report = make_report(settings, answers=FULL, received_on=date(2026, 6, 6))
    colleague = make_user("safeguarding2", UserRole.SAFEGUARDING_OFFICER)

    made = services.make_record_from_report(
        officer_sg, report.submission.pk, TEAM_PASSPHRASE, DRUGGING, face="web"
    )

    assert made.reference == "R-1" and made.report.case_reference == "R-1"
    submission = m.Submission.objects.get(pk=report.submission.pk)
    assert (submission.case_reference, submission.status) == ("R-1", "open")
    view = services.view_case(officer_sg, "R-1", face="web").view
    got = view.report
    assert got.kind == "drugging"
    assert got.drugging.handle == "@quietfox_test" and got.drugging.phone == "07700 900982"
    assert got.drugging.name_used == "Gabriel" and got.drugging.app == "Grindr"
    assert got.drugging.met_via == "On an app" and got.drugging.reporter == "survivor"
    assert got.drugging.address == "14 Elm Road, London E6 2AB"
    assert got.drugging.description == FULL["description"]
    assert got.drugging.substances_suspected == ("ghb", "alcohol")
    assert got.drugging.wants_contact is False
    assert got.location.address == FULL["where"]
    assert SECRET_WORDS in got.circumstances
    assert "When it happened, in their words: A Saturday night in early June" in got.circumstances
    assert "What they think was used, in their words: GHB, maybe alcohol" in got.circumstances
    came = f"It came through the public portal: 6 June 2026 (portal report {report.submission.pk})"
    assert got.circumstances.endswith(came)
    assert got.reported_at is None and got.found_at is None  # the portal keeps no time of day
    day = {timezone.localtime(f.known_at) for f in view.facts}  # known from the day it came
    assert {(d.date(), d.hour, d.minute) for d in day} == {(date(2026, 6, 6), 0, 0)}
    # restricted to the safeguarding team: the maker and their colleague see it, nobody else
    assert services.who_may_see(officer_sg, "R-1") == (True, ["safeguarding1", "safeguarding2"])
    assert services.view_case(colleague, "R-1", face="web").view.reference == "R-1"
    assert services.triage_item(colleague, report.submission.pk, face="web").case_reference == "R-1"
    sergeant = make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    with pytest.raises(services.NotFound):
        services.view_case(sergeant, "R-1", face="web")


def test_making_it_is_audited_without_the_reporters_words(officer_sg, settings):
    ref = make_report(settings).submission.pk
    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")

    on_case = AuditEntry.objects.filter(target_type="case", target_ref="R-1")
    assert list(on_case.order_by("seq").values_list("event", flat=True)) == [
        "case.opened",
        "case.restricted",
        "case.linked",
    ]
    on_report = AuditEntry.objects.filter(target_type="portal", target_ref=str(ref))
    made = on_report.get(event="portal.made_record")
    assert made.actor == "safeguarding1"
    assert json.loads(made.payload) == {
        "case": "R-1",
        "kind": "drugging report",
        "restricted_to": ["safeguarding1"],
    }
    opened = json.loads(on_report.get(event="portal.opened").payload)
    assert opened["opened"] is True and "to make it a drugging report" in opened["outcome"]
    assert SECRET_WORDS not in audited() and "quietfox" not in audited()
    assert TEAM_PASSPHRASE not in audited()


def test_the_record_links_with_a_death_naming_the_same_handle(officer_sg, settings, analyst):
    sergeant = make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    _death_naming_the_handle(sergeant)
    ref = make_report(settings).submission.pk

    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")

    link = m.CaseLink.objects.get(case_a__reference="D-1", case_b__reference="R-1")
    alert = m.Alert.objects.get(link=link)  # an alert on the death
    (shared,) = [r["sentence"] for r in link.reasons if r["feature"] == "identifiers"]
    assert "quietfox_test" in shared and "on the drugging report R-1" in shared
    # the team sees it at once; the analyst once the team names them on the record
    listed = services.list_alerts(officer_sg, face="web")
    assert [(a.a, a.kind_a, a.b, a.kind_b) for a in listed] == [("D-1", "death", "R-1", "drugging")]
    assert alert.analyst == ""  # nobody outside the team may be given it yet
    assert services.list_alerts(analyst, face="web") == []
    # the death's analyst is told that something is linked, and by whom it is held
    (notice,) = services.view_case(analyst, "D-1", face="web").view.actions
    assert (notice.ref, notice.kind, notice.owner) == (
        f"RL-{alert.pk}",
        "restricted_link",
        "analyst1",
    )
    assert notice.title == (
        "A record held by the safeguarding team is linked to this death by the linkage engine; "
        "ask the safeguarding team what may be shared (named on it: safeguarding1)."
    )
    services.name_on_case(officer_sg, "R-1", analyst.username)
    assert [a.b for a in services.list_alerts(analyst, face="web")] == ["R-1"]


def test_an_intelligence_entry_holds_the_person_reported_as_a_person(officer_sg, settings):
    ref = make_report(settings, answers=FULL).submission.pk
    spec = RecordSpec("intelligence", "I-1", "crime_report")

    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, spec, face="web")

    view = services.view_case(officer_sg, "I-1", face="web").view
    got = view.report
    assert got.kind == "intelligence" and got.intelligence.type == "crime_report"
    assert got.intelligence.source == "the public portal"
    assert got.intelligence.source_reference == f"portal report {ref}"
    assert got.drugging.handle is None  # not a section an intelligence entry holds
    assert "Who it happened to: It happened to me" in got.circumstances
    assert "What the person reported looks like, in their words: Tall" in got.circumstances
    (person,) = view.persons
    assert person.roles == ("person_reported",)
    kinds = {(i.kind, i.normalised) for i in person.identifiers}
    assert ("handle", "quietfox_test") in kinds and ("phone", "+447700900982") in kinds
    assert ("alias", "gabriel") in kinds
    events = AuditEntry.objects.filter(target_type="case", target_ref="I-1").order_by("seq")
    assert list(events.exclude(event="case.viewed").values_list("event", flat=True)) == [
        "case.opened",
        "case.person_recorded",
        "case.restricted",
        "case.linked",
    ]


def test_the_reporters_contact_route_never_reaches_the_record(officer_sg, settings):
    answers = {
        **FULL,
        "contact": "yes",
        "contact_how": "Text me on 07700 900111 after 6pm, or jo.test@example.org.",
        "what_happened": "I left him my number, 07700 900111, and he called from 07700 900982.",
    }
    ref = make_report(settings, answers=answers).submission.pk

    preview = services.preview_record_from_report(
        officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web"
    )
    assert preview.kept_sealed == (
        "How the reporter asked to be contacted stays in the sealed report.",
    )
    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")

    case = m.Case.objects.get(reference="R-1")
    got = services.view_case(officer_sg, "R-1", face="web").view.report
    assert got.drugging.wants_contact is True
    stored = json.dumps([case.state, case.profile])
    assert "900111" not in stored and "jo.test" not in stored
    assert f"(the reporter's contact details: kept in portal report {ref})" in got.circumstances
    assert "07700 900982" in got.circumstances  # the person reported's number stays
    assert "phone:+447700900982" in case.profile["row"]["identifiers"]


def test_the_reporters_postal_address_never_reaches_the_record(officer_sg, settings):
    """A contact route that is a postal address is kept out of the copied text as a phone is
    (the whole address, wherever its town and postcode are written, and its postcode alone);
    the person reported's address stays, as an identifier to link."""
    answers = {
        **FULL,
        "contact": "yes",
        "contact_how": "Write to Flat 3, 22 Birch Grove, London E7 9QP; do not say police.",
        "what_happened": "He walked me home to 22 Birch Grove. I live near E7 9QP. "
        "He lives at 14 Elm Road, London E6 2AB.",
        "where": "My flat, 22 Birch Grove, E7 9QP",
    }
    ref = make_report(settings, answers=answers).submission.pk
    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")

    case = m.Case.objects.get(reference="R-1")
    got = services.view_case(officer_sg, "R-1", face="web").view.report
    stored = json.dumps([case.state, case.profile])
    assert "Birch" not in stored and "E7 9QP" not in stored and "E7 9QP".lower() not in stored
    sealed = f"(the reporter's contact details: kept in portal report {ref})"
    assert got.circumstances.startswith(f"He walked me home to {sealed}. I live near {sealed}.")
    assert got.location.address == f"My flat, {sealed}"
    # the person reported's address stays, in the account and as their identifier
    assert "He lives at 14 Elm Road, London E6 2AB." in got.circumstances
    assert got.drugging.address == "14 Elm Road, London E6 2AB"


@pytest.mark.parametrize(
    ("contact_how", "text", "kept"),
    [
        # the address however it is written again: another town, no postcode, abbreviated
        ("22 Birch Grove, London E7 9QP", "at 22 Birch Gr, Forest Gate.", "at <sealed>."),
        ("22 Birch Grove, London E7 9QP", "in e7 9qp", "in <sealed>"),
        # another house on the same street is not the reporter's
        ("22 Birch Grove, London E7 9QP", "at 24 Birch Grove.", "at 24 Birch Grove."),
        # the person reported's address (the report's address answer) is never taken out
        ("14 Elm Road, London E6 2AB", "to 14 Elm Road, E6 2AB.", "to 14 Elm Road, E6 2AB."),
        # a phone as before
        ("call 07700 900111", "my number 07700900111", "my number <sealed>"),
    ],
)
def test_the_contact_route_is_taken_out_of_copied_text(contact_how, text, kept):
    answers = {**FULL, "contact_how": contact_how, "what_happened": text}
    made = draft(DRUGGING, answers, submission_id=7, received_on=date(2026, 6, 6))
    sealed = "(the reporter's contact details: kept in portal report 7)"
    assert made.report.circumstances.split("\n\n")[0] == kept.replace("<sealed>", sealed)


def test_the_preview_shows_the_facts_and_changes_nothing(officer_sg, settings):
    ref = make_report(settings, answers=FULL).submission.pk
    preview = services.preview_record_from_report(
        officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web"
    )
    assert preview.report.drugging.handle == "@quietfox_test"
    assert SECRET_WORDS in preview.report.circumstances
    assert preview.restricted_to == ("safeguarding1",)
    assert not m.Case.objects.exists()
    assert m.Submission.objects.get(pk=ref).case_reference == ""
    (opened,) = AuditEntry.objects.filter(event="portal.opened", target_ref=str(ref))
    assert "to preview it as a drugging report" in json.loads(opened.payload)["outcome"]
    # a reference already taken is refused at the preview, as opening would refuse it
    services.open_case(
        make_user("sergeant1", UserRole.REVIEWING_OFFICER), "D-1", suspicious_report()
    )
    with pytest.raises(services.Invalid) as taken:
        services.preview_record_from_report(
            officer_sg, ref, TEAM_PASSPHRASE, RecordSpec("drugging", "D-1"), face="web"
        )
    assert taken.value.field == "reference"


def test_a_wrong_passphrase_changes_nothing(officer_sg, settings):
    ref = make_report(settings).submission.pk
    with pytest.raises(services.Invalid) as refused:
        services.make_record_from_report(
            officer_sg, ref, "not the team passphrase", DRUGGING, face="web"
        )
    assert refused.value.field == "team_passphrase"
    assert not m.Case.objects.exists()
    submission = m.Submission.objects.get(pk=ref)
    assert (submission.case_reference, submission.status) == ("", "new")
    (row,) = AuditEntry.objects.filter(event="portal.opened", target_ref=str(ref))
    assert json.loads(row.payload)["opened"] is False
    assert not AuditEntry.objects.filter(event__in=["case.opened", "portal.made_record"]).exists()


@pytest.mark.parametrize(
    "role",
    [r for r in UserRole if r is not UserRole.SAFEGUARDING_OFFICER],
)
def test_a_user_without_triage_reports_is_refused(officer_sg, settings, role):
    ref = make_report(settings).submission.pk
    other = make_user("someone", role)
    for call in (services.preview_record_from_report, services.make_record_from_report):
        with pytest.raises(services.Forbidden):
            call(other, ref, TEAM_PASSPHRASE, DRUGGING, face="web")
    assert not m.Case.objects.exists()
    assert m.Submission.objects.get(pk=ref).case_reference == ""


def test_what_cannot_be_made_is_refused_naming_the_field(officer_sg, settings):
    concern = make_report(settings, kind="family_concern", answers={"concern": "x"}).submission
    with pytest.raises(services.Invalid, match="family concern is not made into a record"):
        services.make_record_from_report(
            officer_sg, concern.pk, TEAM_PASSPHRASE, DRUGGING, face="web"
        )
    ref = make_report(settings).submission.pk
    cases = (
        (RecordSpec("death", "R-9"), "kind"),
        (RecordSpec("intelligence", "R-9"), "intelligence_type"),
        (RecordSpec("drugging", "  "), "reference"),
        (RecordSpec("drugging", "bad reference!"), "reference"),
    )
    for spec, field in cases:
        with pytest.raises(services.Invalid) as refused:
            services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, spec, face="web")
        assert refused.value.field == field
    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")
    with pytest.raises(services.Invalid, match="recorded as case R-1 already"):  # one record
        services.make_record_from_report(
            officer_sg, ref, TEAM_PASSPHRASE, RecordSpec("drugging", "R-2"), face="web"
        )
    assert list(m.Case.objects.values_list("reference", flat=True)) == ["R-1"]


def test_substances_are_short_names_and_a_sentence_gives_none():
    def suspected(words: str) -> tuple[str, ...]:
        made = draft(DRUGGING, {"substances": words}, submission_id=1, received_on=date(2026, 6, 6))
        return made.report.drugging.substances_suspected

    assert suspected("GHB, maybe alcohol") == ("ghb", "alcohol")
    assert suspected("G or GBL / ketamine and poppers") == ("g", "gbl", "ketamine", "poppers")
    assert suspected("I don't know, something in my drink tasted salty") == ()
    assert suspected("crystal meth") == ("crystal meth",)
    assert suspected("I think it was GHB") == ()  # a sentence: the words stay in the account


def test_a_report_made_into_a_record_keeps_it_when_linked_to_a_case(officer_sg, settings):
    """Linking keeps the report's own record: it is refused, naming the field, and the report
    still points to its record."""
    sergeant = make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    _death_naming_the_handle(sergeant)
    ref = make_report(settings).submission.pk
    services.make_record_from_report(officer_sg, ref, TEAM_PASSPHRASE, DRUGGING, face="web")
    with pytest.raises(services.Invalid) as refused:
        services.record_as_case(officer_sg, ref, "D-1")
    assert refused.value.field == "reference" and "R-1 already" in refused.value.reason
    assert m.Submission.objects.get(pk=ref).case_reference == "R-1"
