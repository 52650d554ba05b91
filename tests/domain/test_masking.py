"""Masking a case for a reader: which fields, and names redacted from every free text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vigil.domain import CaseView, DeathReport, PersonEntry
from vigil.domain.access import permissions_of
from vigil.domain.enums import UserRole
from vigil.domain.facts import Fact
from vigil.domain.masking import (
    PEOPLE_PATHS,
    SENSITIVE_PATHS,
    VICTIM_IDENTITY_PATHS,
    WITHHELD,
    Redactor,
    mask_for,
    mask_view,
)

T = datetime(2015, 6, 1, tzinfo=UTC)


def case() -> CaseView:
    report = DeathReport.model_validate(
        {
            "circumstances": "Alex Testperson was found by Caller One, who rang from 07700 900461.",
            "location": {"address": "14 Elm Road, London E6 2AB"},
            "deceased": {
                "name": "Alex Testperson",
                "date_of_birth": "1992-01-02",
                "sexuality": "gay",
                "drug_use": "chemsex at weekends",
            },
            "first_account": {"given_by": "Caller One", "account": "Alex took it himself."},
        }
    )
    persons = (
        PersonEntry(ref="P-D", name="Alex Testperson", roles=["deceased"]),
        PersonEntry(
            ref="P-C",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
            statement="I met Alex at the club.",
        ),
    )
    facts = (
        Fact("deceased.sexuality", "gay", T, "pc1", 1),
        Fact("deceased.name", "Alex Testperson", T, "pc1", 2),
        Fact("circumstances", report.circumstances, T, "pc1", 3),
    )
    return CaseView("M-1", report, persons=persons, facts=facts)


def masked(role: UserRole, restricted: bool = False) -> CaseView:
    view, _ = mask_view(case(), mask_for(permissions_of(role), restricted=restricted))
    return view


def test_an_investigator_sees_everything_even_on_a_restricted_case():
    assert mask_for(permissions_of(UserRole.INVESTIGATOR), restricted=True).empty
    assert masked(UserRole.INVESTIGATOR, restricted=True) == case()


def test_without_see_sensitive_sexuality_and_drug_use_are_withheld():
    view = masked(UserRole.RESPONSE_OFFICER)
    assert view.report.deceased.sexuality == WITHHELD
    assert view.report.deceased.drug_use == WITHHELD
    assert view.report.deceased.name == "Alex Testperson"  # an open case: identity shown
    assert [f.value for f in view.facts if f.path == "deceased.sexuality"] == [WITHHELD]
    assert {"deceased.sexuality", "deceased.drug_use"} == SENSITIVE_PATHS


def test_a_withheld_field_reads_withheld_even_when_nothing_was_recorded():
    view, _ = mask_view(
        CaseView("M-2", DeathReport()), mask_for(permissions_of(UserRole.ANALYST), restricted=False)
    )
    assert view.report.deceased.sexuality == WITHHELD


def test_on_a_restricted_case_the_victims_identity_is_withheld_and_redacted_from_text():
    view = masked(UserRole.ANALYST, restricted=True)
    assert view.report.deceased.name == WITHHELD
    assert view.report.deceased.date_of_birth is None
    assert "Alex" not in (view.report.circumstances or "")
    assert "Caller One" in (view.report.circumstances or "")  # only the victim is withheld
    deceased = next(p for p in view.persons if p.ref == "P-D")
    assert deceased.name == WITHHELD
    caller = next(p for p in view.persons if p.ref == "P-C")
    assert caller.name == "Caller One" and "Alex" not in (caller.statement or "")
    assert (
        mask_for(permissions_of(UserRole.ANALYST), restricted=True).paths >= VICTIM_IDENTITY_PATHS
    )


def test_the_panel_sees_no_names_or_identifiers_anywhere():
    view = masked(UserRole.PANEL_MEMBER)
    text = view.report.circumstances or ""
    assert "Alex" not in text and "Caller" not in text and "900461" not in text
    assert view.report.location.address == WITHHELD
    assert view.report.first_account.given_by == WITHHELD
    assert "Alex" not in (view.report.first_account.account or "")
    assert all(p.name == WITHHELD for p in view.persons)
    [phone] = next(p for p in view.persons if p.ref == "P-C").identifiers
    assert phone.value == WITHHELD and phone.normalised == WITHHELD
    assert all("Alex" not in str(f.value) for f in view.facts)


def test_redaction_takes_whole_words_only():
    view = CaseView(
        "M-3",
        DeathReport.model_validate(
            {
                "circumstances": "Found on Gayton Road; friends said he was gay.",
                "deceased": {"sexuality": "gay"},
            }
        ),
    )
    shown, _ = mask_view(view, mask_for(permissions_of(UserRole.ANALYST), restricted=False))
    assert shown.report.circumstances == "Found on Gayton Road; friends said he was [withheld]."


# --- the panel's redaction: identifiers and names in every written form (issue 10, item 6) ---


def panel_case(text: str, **location: object) -> CaseView:
    report = DeathReport.model_validate(
        {
            "circumstances": text,
            "location": {
                "address": "14 Elm Road, London E6 2AB",
                "latitude": 51.538612,
                "longitude": 0.081149,
                "description": "behind the bins at the back of 14 Elm Road",
                **location,
            },
            "deceased": {"name": "Seán Testperson"},
        }
    )
    persons = (
        PersonEntry(ref="P-D", name="Seán Testperson", roles=["deceased"]),
        PersonEntry(
            ref="P-C",
            name="Jo Callerby",
            roles=["caller"],
            identifiers=[
                {"kind": "phone", "value": "07700 900321"},
                {"kind": "email", "value": "jo.callerby@example.org"},
            ],
        ),
    )
    return CaseView("M-9", report, persons=persons)


def panel_text(text: str) -> str:
    view, _ = mask_view(
        panel_case(text), mask_for(permissions_of(UserRole.PANEL_MEMBER), restricted=False)
    )
    return view.report.circumstances or ""


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        # the case's own phone, however it is written
        ("Rang from 07700900321.", "Rang from [withheld]."),
        ("Rang from +44 7700 900321.", "Rang from [withheld]."),
        ("Rang from (07700) 900 321.", "Rang from [withheld]."),
        # any phone or e-mail at all, for the panel
        ("A friend on 07700 900999 called.", "A friend on [withheld] called."),
        ("The club's line, 020 7946 0018, rang.", "The club's line, [withheld], rang."),
        ("Wrote to someone@example.net twice.", "Wrote to [withheld] twice."),
        ("Wrote to JO.CALLERBY@EXAMPLE.ORG.", "Wrote to [withheld]."),
        # names in capitals, in lower case, with or without accents, two-letter names
        ("SEÁN TESTPERSON was found.", "[withheld] was found."),
        ("TESTPERSON, SEAN was found.", "[withheld], [withheld] was found."),
        ("sean was found by jo callerby.", "[withheld] was found by [withheld]."),
        ("callerby and jo", "[withheld] and jo"),
        ("Jo said JO saw him.", "[withheld] said [withheld] saw him."),
        ("Testperson's phone was missing.", "[withheld]'s phone was missing."),
        # initials, when the name is known
        ("Note signed J.C. and S.T.", "Note signed [withheld] and [withheld]"),
        (
            "Initials JC on the note; S. T. on the bag.",
            "Initials [withheld] on the note; [withheld] on the bag.",
        ),
        # the address in part, and any postcode only to its district
        ("He lived at 14 Elm Road.", "He lived at [withheld]."),
        ("Seen near IG11 7QR and e6 2ab.", "Seen near IG11 and E6."),
        # any house-numbered street, however it is written, recorded on the case or not
        ("He lived at 14 Elm Rd.", "He lived at [withheld]."),
        (
            "Taken to flat 3, 9 Oak Close then 22a Testing Street",
            "Taken to [withheld] then [withheld]",
        ),
        ("She rang from 7 Long Lane, E6.", "She rang from [withheld], E6."),
        (
            "The 2 of them walked 3 streets to the park.",
            "The 2 of them walked 3 streets to the park.",
        ),
        # what is not an identifier stays
        ("Found 2015-06-01 at 06:30, seal 12345678.", "Found 2015-06-01 at 06:30, seal 12345678."),
        ("He said an answer to no one.", "He said an answer to no one."),
    ],
)
def test_the_panel_sees_no_identifier_however_it_is_written(written, shown):
    assert panel_text(written) == shown


def test_the_panel_sees_the_place_only_to_about_a_kilometre():
    view, _ = mask_view(
        panel_case("Found at the back."),
        mask_for(permissions_of(UserRole.PANEL_MEMBER), restricted=False),
    )
    location = view.report.location
    assert (location.latitude, location.longitude) == (51.54, 0.08)
    assert location.description == WITHHELD and location.address == WITHHELD
    assert "location.description" in PEOPLE_PATHS


def test_the_place_is_coarsened_in_the_facts_too():
    full = CaseView(
        "M-10",
        DeathReport.model_validate({"location": {"latitude": 51.538612, "longitude": 0.081149}}),
        facts=(
            Fact("location.latitude", 51.538612, T, "pc1", 1),
            Fact("location.longitude", 0.081149, T, "pc1", 2),
        ),
    )
    panel, _ = mask_view(full, mask_for(permissions_of(UserRole.PANEL_MEMBER), restricted=False))
    assert [f.value for f in panel.facts] == [51.54, 0.08]
    analyst, _ = mask_view(full, mask_for(permissions_of(UserRole.ANALYST), restricted=True))
    assert [f.value for f in analyst.facts] == [51.538612, 0.081149]  # the address is theirs
    assert analyst.report.location.latitude == 51.538612


def test_on_a_restricted_case_only_the_victims_own_phone_is_withheld_from_a_named_analyst():
    view = CaseView(
        "M-11",
        DeathReport.model_validate(
            {
                "circumstances": "Seán rang 07700900555 from 07700 900321.",
                "deceased": {"name": "Seán Testperson"},
            }
        ),
        persons=(
            PersonEntry(
                ref="P-D",
                name="Seán Testperson",
                roles=["deceased"],
                identifiers=[{"kind": "phone", "value": "+44 7700 900555"}],
            ),
        ),
    )
    shown, _ = mask_view(view, mask_for(permissions_of(UserRole.ANALYST), restricted=True))
    assert shown.report.circumstances == "[withheld] rang [withheld] from 07700 900321."


def test_the_redactor_keeps_what_it_does_not_withhold():
    redact = Redactor.of(["Alex Testperson"], ["Alex Testperson"])
    assert redact("At 4am ALEX left; A.T. signed; an 07700 900999 call.") == (
        "At 4am [withheld] left; [withheld] signed; an 07700 900999 call."
    )
    assert Redactor()("Alex on 07700 900999") == "Alex on 07700 900999"
