"""People by ref, sensitive writes and reference oracles (issue 10, items 1, 5, 7 and 17).

A person's ref names someone only through a case the recorder may see, where they may see
them; a ref that lives only on a hidden case behaves exactly as one nobody has used (the same
answer, the same audit rows) and changes nothing. A change to a person's shared details is
audited on every case it changes. Taking a hidden case's reference, or asking for a hidden case,
is refused in the words used for any other and audited as a probe. Roles that may not read the
sensitive fields may not write them. Link explanations count no case the reader cannot see.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.conftest import T0, ghb_death, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.access import restriction
from vigil.services.access.masking import uncounted
from vigil.services.linkage.series import list_alerts
from vigil.services.readmodels import workbench
from vigil.services.readmodels.casepage import case_page

HIDDEN = "H-1"
SECRET = "Quinn Hiddenperson"


@pytest.fixture
def hidden(officer, sergeant):
    """H-1, restricted to the sergeant, with its deceased (ref P-H) recorded as a person."""
    services.open_case(officer, HIDDEN, suspicious_report(deceased__name=SECRET), known_at=T0)
    entry = PersonEntry(
        ref="P-H",
        name=SECRET,
        sex="male",
        date_of_birth="1992-01-02",
        roles=["deceased"],
        identifiers=[{"kind": "phone", "value": "07700 900999"}],
    )
    services.record_person(officer, HIDDEN, entry)
    services.restrict_case(sergeant, HIDDEN)
    return m.CasePerson.objects.get(case__reference=HIDDEN, external_ref="P-H").person


@pytest.fixture
def outsider(db):
    """A reviewing officer (every right but need-to-know) not named on H-1."""
    return make_user("sergeant-x", UserRole.REVIEWING_OFFICER)


def open_cases(actor, *references):
    for reference in references:
        services.open_case(actor, reference, DeathReport(), known_at=T0)


def persons_on(reference):
    return list(m.CasePerson.objects.filter(case__reference=reference).select_related("person"))


def audit_of(reference):
    """The audit rows on a case: (event, payload keys, changes)."""
    rows = AuditEntry.objects.filter(target_ref=reference).order_by("seq")
    out = []
    for row in rows:
        payload = json.loads(row.payload)
        out.append((row.event, sorted(payload), payload.get("changes")))
    return out


# --- item 1: persons by ref


def test_a_hidden_cases_person_by_ref_is_someone_new(hidden, outsider):
    open_cases(outsider, "O-1")
    before = AuditEntry.objects.filter(target_ref=HIDDEN).count()
    entry = PersonEntry(ref="P-H", name="Overwritten Name", roles=["witness"])
    state = services.record_person(outsider, "O-1", entry)
    (shown,) = state.view.persons
    assert (shown.ref, shown.name, shown.date_of_birth) == ("P-H", "Overwritten Name", None)
    assert shown.identifiers[0].value == "Overwritten Name"  # only what they gave
    hidden.refresh_from_db()
    assert (hidden.name, str(hidden.date_of_birth)) == (SECRET, "1992-01-02")
    (link,) = persons_on("O-1")
    assert link.person_id != hidden.pk and re.fullmatch(r"P-[0-9a-f]{12}", link.person.ref)
    assert AuditEntry.objects.filter(target_ref=HIDDEN).count() == before
    assert [p.person_id for p in persons_on(HIDDEN)] == [hidden.pk]


def test_a_hidden_ref_answers_exactly_as_an_unknown_one(hidden, outsider):
    open_cases(outsider, "O-1", "O-2")
    answers = []
    for case, ref in (("O-1", "P-H"), ("O-2", "P-NOBODY")):
        entry = PersonEntry(ref=ref, roles=["witness"])
        state = services.record_person(outsider, case, entry)
        person = state.view.persons[0].model_dump(exclude={"ref", "known_at"})
        answers.append((person, audit_of(case)))
    assert answers[0] == answers[1]


def test_a_named_reader_sees_the_same_person_on_two_cases(officer, sergeant):
    open_cases(officer, "V-1", "V-2")
    services.record_person(officer, "V-1", PersonEntry(ref="P-9", name="Host Nine", roles=["host"]))
    state = services.record_person(officer, "V-2", PersonEntry(ref="P-9", roles=["caller"]))
    assert state.view.persons[0].name == "Host Nine"
    assert len({link.person_id for link in persons_on("V-1") + persons_on("V-2")}) == 1


def test_a_change_to_a_person_is_audited_on_every_case_it_changes(hidden, sergeant):
    open_cases(sergeant, "O-1")
    services.record_person(sergeant, "O-1", PersonEntry(ref="P-H", roles=["witness"]))
    assert persons_on("O-1")[0].person_id == hidden.pk  # named on H-1: the same person
    services.record_person(
        sergeant, "O-1", PersonEntry(ref="P-H", name="Quinn Renamed", roles=["witness"])
    )
    row = AuditEntry.objects.filter(event="case.person_changed").get()
    assert (row.target_ref, row.actor) == (HIDDEN, sergeant.username)
    assert json.loads(row.payload) == {"person": hidden.ref, "fields": ["name"], "via": "O-1"}


def test_a_person_withheld_on_the_case_keeps_their_details(hidden, sergeant, db):
    officer = make_user("officer-named", UserRole.RESPONSE_OFFICER)
    services.name_on_case(sergeant, HIDDEN, officer.username)
    with pytest.raises(services.Forbidden) as refused:
        services.record_person(
            officer, HIDDEN, PersonEntry(ref="P-H", name="Someone Else", roles=["deceased"])
        )
    assert refused.value.field == "name"
    hidden.refresh_from_db()
    assert hidden.name == SECRET
    # Elsewhere, the ref of a person they may not see names someone new.
    open_cases(officer, "O-3")
    services.record_person(officer, "O-3", PersonEntry(ref="P-H", roles=["witness"]))
    assert persons_on("O-3")[0].person_id != hidden.pk


def test_a_person_without_a_ref_gets_one_nobody_can_guess(officer):
    open_cases(officer, "N-1")
    state = services.record_person(
        officer, "N-1", PersonEntry(name="Ren Newperson", roles=["friend"])
    )
    (shown,) = state.view.persons
    assert re.fullmatch(r"P-[0-9a-f]{12}", shown.ref)
    payload = json.loads(AuditEntry.objects.filter(event="case.person_recorded").get().payload)
    assert payload["person"] == shown.ref


def import_as(actor, *records):
    lines = io.StringIO("\n".join(json.dumps(r) for r in records))
    return services.import_lines(actor, lines, link=False)


def test_an_import_reaches_no_hidden_person_and_one_file_ref_is_one_person(hidden, db):
    admin = make_user("admin-x", UserRole.ADMINISTRATOR)
    person = {"ref": "P-H", "name": "Imported Name", "roles": ["friend"]}
    report = import_as(
        admin,
        {"reference": "I-1", "persons": [person]},
        {"reference": "I-2", "persons": [{"ref": "P-H", "roles": ["caller"]}]},
    )
    assert report.errors == [] and report.created == 2
    hidden.refresh_from_db()
    assert hidden.name == SECRET
    first, second = persons_on("I-1")[0], persons_on("I-2")[0]
    assert first.person_id == second.person_id != hidden.pk
    assert first.person.name == "Imported Name"
    # Again, as an update: the same person, through the case the importer may see.
    again = import_as(admin, {"reference": "I-1", "persons": [{**person, "roles": ["host"]}]})
    assert again.errors == [] and persons_on("I-1")[0].person_id == first.person_id


# --- item 5 and 17: reference oracles, audited probes


def test_a_taken_reference_is_refused_alike_and_a_hidden_one_audited(hidden, outsider, sergeant):
    open_cases(outsider, "O-1")
    refusals = []
    for reference in ("O-1", HIDDEN):
        with pytest.raises(services.Invalid) as refused:
            services.open_case(outsider, reference, DeathReport())
        refusals.append(refused.value.reason.replace(reference, "X"))
    assert refusals[0] == refusals[1] == "'X' cannot be used for a new case; give another reference"
    probes = AuditEntry.objects.filter(event="case.probed")
    assert [(p.target_ref, p.actor) for p in probes] == [(HIDDEN, outsider.username)]
    assert json.loads(probes[0].payload)["exists"] is True


def test_an_import_of_a_hidden_reference_is_refused_and_audited(hidden, db):
    admin = make_user("admin-y", UserRole.ADMINISTRATOR)
    report = import_as(
        admin, {"reference": HIDDEN, "persons": [{"ref": "P-1", "roles": ["friend"]}]}
    )
    assert [e.field for e in report.errors] == ["reference"]
    assert "cannot be used for a new case" in report.errors[0].reason
    assert AuditEntry.objects.filter(event="case.probed", target_ref=HIDDEN).count() == 1
    assert len(persons_on(HIDDEN)) == 1


def test_asking_for_a_hidden_or_missing_case_is_audited_as_a_probe(hidden, outsider):
    for reference in (HIDDEN, "NO-SUCH"):
        with pytest.raises(services.NotFound):
            services.view_case(outsider, reference, face="test")
        with pytest.raises(services.NotFound):
            services.record_facts(outsider, reference, DeathReport(circumstances="x"))
    probes = AuditEntry.objects.filter(event="case.probed").order_by("seq")
    found = [(p.target_ref, json.loads(p.payload)["exists"]) for p in probes]
    assert found == [(HIDDEN, True), (HIDDEN, True), ("NO-SUCH", False), ("NO-SUCH", False)]


# --- item 7: sensitive fields


@pytest.mark.parametrize("path", ["sexuality", "drug_use"])
def test_a_role_that_may_not_read_a_sensitive_field_may_not_write_it(officer, sergeant, path):
    report = DeathReport.model_validate({"deceased": {path: "recorded"}})
    with pytest.raises(services.Invalid) as refused:
        services.open_case(officer, "S-1", report)
    assert refused.value.field == f"deceased.{path}"
    open_cases(officer, "S-1")
    with pytest.raises(services.Invalid) as refused:
        services.record_facts(officer, "S-1", report)
    assert refused.value.field == f"deceased.{path}"
    assert not m.Fact.objects.filter(path=f"deceased.{path}").exists()
    services.record_facts(sergeant, "S-1", report)  # a role that reads it may write it
    assert m.Fact.objects.filter(path=f"deceased.{path}").count() == 1


def test_an_import_may_not_write_a_sensitive_field_its_importer_cannot_read(db):
    admin = make_user("admin-z", UserRole.ADMINISTRATOR)
    report = import_as(admin, {"reference": "S-2", "report": {"deceased": {"sexuality": "x"}}})
    assert [e.field for e in report.errors] == ["report.deceased.sexuality"]
    assert not m.Case.objects.filter(reference="S-2").exists()


# --- item 17: link explanations count no case the reader cannot see


def test_link_reasons_carry_no_count_of_the_store(linked_pair, sergeant):
    counted = re.compile(r"\d of \d|\d%")
    assert any(counted.search(r["sentence"]) for r in linked_pair.reasons)
    ghb_death("L-3", 200, 52.5, -1.9, sergeant)  # far away: not linked, but counted
    services.restrict_case(sergeant, "L-3")
    shown = [s for alert in list_alerts(sergeant, face="test") for s in alert.reasons]
    page = case_page(sergeant, "L-1", face="test")
    shown += [r.sentence for link in page.links for r in link.reasons]
    assert shown and not any(counted.search(s) for s in shown)
    assert any("GHB" in s for s in shown)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("toxicology found GHB in both, seen in 2 of 3 deaths", "toxicology found GHB in both"),
        (
            "toxicology found GHB (seen in 2 of 3 deaths) and ketamine (seen in 1 of 3 deaths) "
            "in both",
            "toxicology found GHB and ketamine in both",
        ),
        (
            "GHB was found in both; it is found in 0.8% of deaths in the store (4 of 1,500)",
            "GHB was found in both",
        ),
        (
            "share name Jo Smith: a first name on under 0.1% of the store's cases (1 of 9,000)",
            "share name Jo Smith: a first name",
        ),
        ("found 220 m apart", "found 220 m apart"),
    ],
)
def test_uncounted_drops_only_the_counts(stored, shown):
    assert uncounted(stored) == shown
    assert uncounted({"weight": 1.0, "sentence": stored}) == {"weight": 1.0, "sentence": shown}


def test_every_other_look_up_of_a_hidden_case_is_audited_as_a_probe(hidden, outsider):
    attempts = [
        lambda: workbench.case_concerns(outsider, HIDDEN, face="test"),
        lambda: workbench.case_access(outsider, HIDDEN, face="test"),
        lambda: restriction.who_may_see(outsider, HIDDEN),
        lambda: services.restrict_case(outsider, HIDDEN),
        lambda: services.unrestrict_case(outsider, HIDDEN),
    ]
    for attempt in attempts:
        with pytest.raises(services.NotFound):
            attempt()
    probes = AuditEntry.objects.filter(event="case.probed", target_ref=HIDDEN)
    assert probes.count() == len(attempts)
    assert {p.actor for p in probes} == {outsider.username}
