"""The mix of deaths over 2,000 records, and what each kind looks like (ranges, not counts)."""

from __future__ import annotations

from collections import Counter

from vigil.demo import MIX, Scenario
from vigil.domain.enums import (
    PUBLIC_PLACES,
    Category,
    CauseStatus,
    PlaceType,
    Presence,
    ToxicologyStatus,
)
from vigil.interchange.record import CaseRecord

Labelled = list[tuple[Scenario, CaseRecord]]


def _of(labelled: Labelled, scenario: Scenario) -> list[CaseRecord]:
    return [record for kind, record in labelled if kind is scenario]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def test_shares_are_close_to_the_mix(labelled: Labelled) -> None:
    counts = Counter(kind for kind, _ in labelled)
    total = len(labelled)
    for scenario, percent in MIX.items():
        share = counts[scenario] / total * 100
        assert abs(share - percent) <= max(2.5, percent * 0.25), (scenario, share)


def test_expected_deaths_are_older_people_with_a_known_illness(labelled: Labelled) -> None:
    cases = _of(labelled, Scenario.EXPECTED)
    places = Counter(r.report.location.place_type for r in cases)
    assert set(places) == {PlaceType.HOME, PlaceType.CARE_HOME, PlaceType.HOSPITAL}
    for record in cases:
        report = record.report
        assert report.deceased.age is not None and 70 <= report.deceased.age <= 98
        assert report.deceased.known_illness is True
        assert report.cause.status is CauseStatus.CONFIRMED
        assert report.cause.certified_by and report.cause.certified_by.startswith("Dr ")
        at_home = report.location.place_type is PlaceType.HOME
        assert (report.cause.institution is None) is at_home  # for the rate screen
        assert (report.cause.institution_type is None) is at_home
        assert report.toxicology.status is ToxicologyStatus.NOT_REQUESTED
        assert report.first_account.given_by
        decision = record.decisions[-1]
        assert decision.category is Category.EXPECTED
        assert decision.rationale and decision.decided_by


def test_suicides_have_a_confirmed_cause_and_sometimes_a_note(labelled: Labelled) -> None:
    cases = _of(labelled, Scenario.SUICIDE)
    notes = sum(bool(r.report.scene.note_present) for r in cases)
    assert 0.3 <= _share(notes, len(cases)) <= 0.6
    for record in cases:
        causes = [record.report.cause, *(u.report.cause for u in record.updates)]
        assert any(c.status is CauseStatus.CONFIRMED for c in causes)
        assert record.decisions[-1].category is Category.UNEXPECTED_NOT_SUSPICIOUS


def test_drug_deaths_name_common_drugs(labelled: Labelled) -> None:
    cases = _of(labelled, Scenario.DRUGS)
    main: Counter[str] = Counter()
    for record in cases:
        assert record.report.toxicology.status is ToxicologyStatus.PENDING
        for update in record.updates:
            main.update(update.report.toxicology.substances[:1])
    common = sum(main[d] for d in ("heroin", "methadone", "cocaine", "fentanyl"))
    assert _share(common, sum(main.values())) >= 0.7
    paraphernalia = sum(bool(r.report.scene.drug_paraphernalia) for r in cases)
    assert _share(paraphernalia, len(cases)) >= 0.7
    confirmed = sum(bool(r.updates) for r in cases)
    assert 0.6 <= _share(confirmed, len(cases)) <= 0.95  # the rest still pending


def test_suspicious_deaths_look_like_barking(labelled: Labelled) -> None:
    cases = _of(labelled, Scenario.SUSPICIOUS)
    assert cases
    for record in cases:
        report = record.report
        assert report.deceased.age is not None and 18 <= report.deceased.age <= 35
        assert report.location.place_type in PUBLIC_PLACES
        assert any(d.category is Category.UNEXPECTED_UNDER_INVESTIGATION for d in record.decisions)
    n = len(cases)
    assert _share(sum(r.report.scene.phone is Presence.MISSING for r in cases), n) >= 0.5
    assert _share(sum(r.report.first_account.fits_scene is False for r in cases), n) >= 0.3
    assert any(r.report.scene.moved_after_death for r in cases)
    assert any(r.report.scene.note_present for r in cases)


def test_updates_arrive_weeks_later(labelled: Labelled) -> None:
    for kind, record in labelled:
        for update in record.updates:
            if update.report.toxicology.status is ToxicologyStatus.CONFIRMED:
                assert record.known_at is not None
                weeks = (update.known_at - record.known_at).days / 7
                assert 3 <= weeks <= 8.1, (kind, record.reference)


def test_some_deceased_are_identified_only_later(labelled: Labelled) -> None:
    later = [
        r
        for r in _of(labelled, Scenario.SUSPICIOUS)
        if not r.report.deceased.identified and any(u.report.deceased.identified for u in r.updates)
    ]
    assert later
