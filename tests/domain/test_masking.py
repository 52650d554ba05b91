"""Masking a case for a reader: which fields, and names redacted from every free text."""

from __future__ import annotations

from datetime import UTC, datetime

from vigil.domain import CaseView, DeathReport, PersonEntry
from vigil.domain.access import permissions_of
from vigil.domain.enums import UserRole
from vigil.domain.facts import Fact
from vigil.domain.masking import (
    SENSITIVE_PATHS,
    VICTIM_IDENTITY_PATHS,
    WITHHELD,
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
