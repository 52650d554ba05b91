"""Retrospective reviews (issue 14, item 5): which deaths a review covers (each part of the
selection, recorded sexuality only for readers allowed sensitive fields), need-to-know, what
the checklist would say today, and outcomes (append-only, audited, each doing what it says).

All deaths and people are synthetic (invented names, made-up places near a test churchyard)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, transaction

from tests.conftest import SYSTEM, T0, ghb_death, make_user, suspicious_report, two_similar_deaths
from tests.services.units_files import units_file
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category, DeathReport, UserRole
from vigil.domain.reviews import Circle, Outcome, ReviewDefinition, Selection
from vigil.policy import evaluate
from vigil.records import models as m
from vigil.records.queries import load_view
from vigil.services.casework import reviews
from vigil.services.readmodels.queues import AWAITING_SIGNOFF, review_queue

FAR_WEST = (51.45, -0.5)  # some 40 km from the churchyard, in the West test unit


@pytest.fixture
def deaths(investigator):
    """G-1, G-2: GHB in a churchyard and a park near each other, 40 days apart; G-3: GHB in
    a street far to the west a year later, age known only from the date of birth; H-1: heroin
    in the churchyard. Recorded by an investigator, who may record sexuality."""
    officer = investigator
    ghb_death("G-1", 0, 51.5386, 0.0811, officer, deceased__sexuality="Gay, out to friends")
    ghb_death(
        "G-2",
        40,
        51.5395,
        0.0840,
        officer,
        location__place_type="park",
        deceased__age=30,
        deceased__sexuality="Bisexual",
    )
    ghb_death(
        "G-3",
        400,
        *FAR_WEST,
        officer,
        location__place_type="street",
        deceased__age=None,
        deceased__date_of_birth=date(1971, 3, 1),
    )
    ghb_death("H-1", 10, 51.5386, 0.0811, officer, toxicology__substances=["heroin"])


def listed(actor, **selection) -> set[str]:
    review = services.define_review(
        actor, ReviewDefinition(title="Test review", selection=Selection(**selection))
    )
    return {d.reference for d in services.review_page(actor, review, face="test").deaths}


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({}, {"G-1", "G-2", "G-3", "H-1"}),
        ({"substance": "GHB"}, {"G-1", "G-2", "G-3"}),
        ({"found_from": date(2015, 6, 5)}, {"G-2", "G-3", "H-1"}),
        ({"found_to": date(2015, 7, 1)}, {"G-1", "H-1"}),
        ({"found_from": date(2015, 6, 1), "found_to": date(2015, 6, 1)}, {"G-1"}),
        ({"circle": Circle(latitude=51.5386, longitude=0.0811, km=1)}, {"G-1", "G-2", "H-1"}),
        ({"circle": Circle(latitude=51.5386, longitude=0.0811, km=0.1)}, {"G-1", "H-1"}),
        ({"place_type": "park"}, {"G-2"}),
        ({"age_from": 25, "age_to": 35}, {"G-2"}),
        ({"age_from": 40}, {"G-3"}),  # 44 at death, from the date of birth alone
        ({"substance": "ghb", "age_to": 29}, {"G-1"}),
    ],
)
def test_each_part_of_the_selection(deaths, analyst, selection, expected):
    assert listed(analyst, **selection) == expected


def test_a_unit_takes_in_the_units_below_it(deaths, analyst):
    services.load_units(SYSTEM, units_file(), name="test-units.geojson")
    assert listed(analyst, unit="e") == {"G-1", "G-2", "H-1"}
    assert listed(analyst, unit="W") == {"G-3"}
    assert listed(analyst, unit="F", substance="ghb") == {"G-1", "G-2", "G-3"}
    with pytest.raises(services.Invalid) as info:
        listed(analyst, unit="NOPE")
    assert info.value.field == "selection.unit"


def test_recorded_sexuality_only_for_a_reader_allowed_sensitive_fields(deaths, sergeant, analyst):
    assert listed(sergeant, sexuality="gay") == {"G-1"}
    with pytest.raises(services.Forbidden) as info:
        listed(analyst, sexuality="gay")
    assert info.value.reason == "an analyst may not see sensitive fields"
    # nor may they read, or even see listed, a review that selects by it
    review = m.Review.objects.get(selection__sexuality="gay")
    with pytest.raises(services.Forbidden):
        services.review_page(analyst, review.pk, face="test")
    assert review.pk not in {r.id for r in services.list_reviews(analyst, face="test")}
    assert review.pk in {r.id for r in services.list_reviews(sergeant, face="test")}


def test_a_selection_the_wrong_way_round_is_refused_naming_the_field(analyst):
    for selection, field in [
        (Selection(found_from=date(2016, 1, 1), found_to=date(2015, 1, 1)), "selection.found_to"),
        (Selection(age_from=40, age_to=20), "selection.age_to"),
        (Selection(unit="E", circle=Circle(latitude=51.5, longitude=0.1, km=2)), "selection.unit"),
    ]:
        with pytest.raises(services.Invalid) as info:
            services.define_review(analyst, ReviewDefinition(title="T", selection=selection))
        assert info.value.field == field
    assert not m.Review.objects.exists()


def test_only_roles_that_judge_linkage_define_reviews_and_reviewers_must_be_able_to(
    officer, analyst, investigator
):
    with pytest.raises(services.Forbidden):
        services.define_review(officer, ReviewDefinition(title="T"))
    with pytest.raises(services.Invalid) as info:
        services.define_review(analyst, ReviewDefinition(title="T", reviewers=("investigator1",)))
    assert info.value.field == "reviewers" and "may not work a review" in info.value.reason


def test_a_case_the_reader_may_not_see_is_neither_listed_nor_counted(deaths, sergeant, analyst):
    services.restrict_case(sergeant, "G-2")  # named: the sergeant only
    review = services.define_review(
        sergeant,
        ReviewDefinition(
            title="GHB", selection=Selection(substance="ghb"), reviewers=("analyst1", "sergeant1")
        ),
    )
    assert {d.reference for d in services.review_page(sergeant, review, face="t").deaths} == {
        "G-1",
        "G-2",
        "G-3",
    }
    page = services.review_page(analyst, review, face="t")
    assert [d.reference for d in page.deaths] == ["G-1", "G-3"]
    assert page.review.deaths == 2
    (row,) = [r for r in services.list_reviews(analyst, face="t") if r.id == review]
    assert row.deaths == 2
    read = AuditEntry.objects.filter(event="review.read", actor="analyst1").last()
    assert read is not None and "G-2" not in read.payload
    viewed = AuditEntry.objects.filter(event="case.viewed", actor="analyst1")
    assert set(viewed.values_list("target_ref", flat=True)) == {"G-1", "G-3"}  # each death read
    # nor can an outcome be given to it: it answers as a case that does not exist
    with pytest.raises(services.NotFound):
        services.record_outcome(analyst, review, "G-2", Outcome.NO_FURTHER_ACTION, "Fine.")


def test_what_the_checklist_would_say_today_on_a_hand_built_case(officer, analyst):
    services.open_case(officer, "C-1", suspicious_report(), known_at=T0)
    review = services.define_review(analyst, ReviewDefinition(title="All"))
    (death,) = services.review_page(analyst, review, face="t").deaths
    case = m.Case.objects.get(reference="C-1")
    today = evaluate(services.current_pack(), load_view(case), services.utcnow())
    assert [i.title for i in death.never_done] == [i.title for i in today.unmet]
    assert "A sergeant or above attends" in {i.title for i in death.never_done}
    assert all(i.overdue for i in death.never_done if "sergeant" in i.title)
    assert death.floor == "Unexpected, under investigation"
    # once the sergeant's attendance is recorded, the item is no longer listed
    attended = DeathReport.model_validate({"attendance": {"sergeant_or_above": True}})
    services.record_facts(officer, "C-1", attended, known_at=T0 + timedelta(hours=1))
    (death,) = services.review_page(analyst, review, face="t").deaths
    assert "A sergeant or above attends" not in {i.title for i in death.never_done}


def _ghb_review(actor, *reviewers: str) -> int:
    return services.define_review(
        actor,
        ReviewDefinition(
            title="GHB deaths", selection=Selection(substance="ghb"), reviewers=reviewers
        ),
    )


def test_re_open_puts_the_category_back_to_the_reviewing_officer(deaths, sergeant, analyst):
    services.decide_category(
        sergeant,
        "G-1",
        Category.UNEXPECTED_NOT_SUSPICIOUS,
        "Overdose.",
        override_reason="Family say he used alone.",
    )
    assert "G-1" not in {r.reference for r in review_queue(sergeant, face="t")[1]}
    review = _ghb_review(analyst, "analyst1")
    shown = services.record_outcome(
        analyst, review, "G-1", Outcome.REOPEN, "GHB with a missing phone: never looked at."
    )
    assert "back in the review queue" in shown.detail
    waiting = {r.reference: r.waiting for r in review_queue(sergeant, face="t")[1]}
    assert waiting["G-1"] == AWAITING_SIGNOFF
    state = services.view_case(sergeant, "G-1", face="t")
    assert state.evaluation is not None
    assert state.evaluation.category is Category.UNEXPECTED_UNDER_INVESTIGATION
    assert state.evaluation.decided_by == f"review:{review}"
    reopened = AuditEntry.objects.get(event="case.reopened", target_ref="G-1")
    assert reopened.actor == "analyst1" and reopened.verb == "alteration"
    # the reviewing officer decides again, and the case leaves the queue
    services.decide_category(
        sergeant, "G-1", Category.UNEXPECTED_UNDER_INVESTIGATION, "Re-investigate."
    )
    assert "G-1" not in {r.reference for r in review_queue(sergeant, face="t")[1]}


def test_outcomes_are_append_only_the_latest_in_force_and_audited(deaths, analyst):
    review = _ghb_review(analyst, "analyst1")
    services.record_outcome(analyst, review, "G-3", Outcome.LINK_TO_SERIES, "Like G-1.")
    services.record_outcome(analyst, review, "G-3", Outcome.NO_FURTHER_ACTION, "Far away.")
    page = services.review_page(analyst, review, face="t")
    (g3,) = [d for d in page.deaths if d.reference == "G-3"]
    assert g3.outcome is not None and g3.outcome.outcome is Outcome.NO_FURTHER_ACTION
    assert [o.outcome for o in g3.earlier] == [Outcome.LINK_TO_SERIES]
    assert "no other death was named" in g3.earlier[0].detail.lower()
    assert page.review.outcomes == 1
    row = m.ReviewOutcome.objects.first()
    assert row is not None
    for change in (
        lambda: m.ReviewOutcome.objects.filter(pk=row.pk).update(rationale="rewritten"),
        lambda: m.ReviewOutcome.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    audited = AuditEntry.objects.filter(event="review.outcome").order_by("seq")
    assert [(a.actor, a.target_ref) for a in audited] == [("analyst1", str(review))] * 2
    assert '"outcome":"No further action"' in audited.last().payload


def test_refer_makes_a_referral_and_needs_the_right_to(deaths, sergeant, analyst):
    review = _ghb_review(sergeant, "sergeant1", "analyst1")
    with pytest.raises(services.Forbidden):
        services.record_outcome(analyst, review, "G-2", Outcome.REFER, "Murder team.", team="MIT")
    with pytest.raises(services.Invalid) as info:
        services.record_outcome(sergeant, review, "G-2", Outcome.REFER, "To whom?")
    assert info.value.field == "team"
    shown = services.record_outcome(
        sergeant, review, "G-2", Outcome.REFER, "A second GHB death nearby.", team="Homicide"
    )
    referral = m.Referral.objects.get(case__reference="G-2")
    assert (referral.ref, referral.to_team, referral.state) == ("R-1", "Homicide", "pending")
    assert "R-1" in shown.detail
    assert m.ReviewOutcome.objects.count() == 1


def test_link_to_series_confirms_the_stored_link(officer, analyst):
    two_similar_deaths(officer)
    review = _ghb_review(analyst, "analyst1")
    shown = services.record_outcome(
        analyst, review, "L-1", Outcome.LINK_TO_SERIES, "Same phone.", link_to="L-2"
    )
    judgement = m.Judgement.objects.get()
    assert (judgement.verdict, judgement.by) == ("confirm", "analyst1")
    assert "confirmed" in shown.detail


def test_who_may_give_outcomes_and_when(deaths, sergeant, analyst):
    review = _ghb_review(sergeant)  # the author reviews alone
    with pytest.raises(services.Forbidden):
        services.record_outcome(analyst, review, "G-1", Outcome.NO_FURTHER_ACTION, "Fine.")
    with pytest.raises(services.Invalid) as info:
        services.record_outcome(sergeant, review, "H-1", Outcome.NO_FURTHER_ACTION, "Fine.")
    assert info.value.field == "reference"  # heroin: not a death this review covers
    with pytest.raises(services.Invalid):
        services.record_outcome(sergeant, review, "G-1", Outcome.NO_FURTHER_ACTION, " ")
    services.close_review(sergeant, review)
    with pytest.raises(services.Invalid) as info:
        services.record_outcome(sergeant, review, "G-1", Outcome.NO_FURTHER_ACTION, "Fine.")
    assert info.value.field == "review"
    assert not m.ReviewOutcome.objects.exists()


def test_the_panel_reads_a_review_it_sits_on_and_no_other(deaths, analyst):
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    sits = services.define_review(analyst, ReviewDefinition(title="Panel", panel_sits=True))
    apart = services.define_review(analyst, ReviewDefinition(title="Ours"))
    page = services.review_page(panel, sits, face="t")
    assert not page.may_work and len(page.deaths) == 4
    with pytest.raises(services.Forbidden):
        services.review_page(panel, apart, face="t")
    with pytest.raises(services.Forbidden):
        services.relink_review(panel, sits)


def test_defining_a_review_re_links_its_deaths_with_todays_linkage(deaths, analyst):
    before = AuditEntry.objects.filter(event="case.linked").count()
    review = _ghb_review(analyst)
    assert AuditEntry.objects.filter(event="case.linked").count() == before + 3
    assert m.Review.objects.get(pk=review).relinked_at is not None
    defined = AuditEntry.objects.get(event="review.defined")
    assert defined.target_ref == str(review) and '"substance":"ghb"' in defined.payload


def test_a_review_too_large_to_re_link_at_once_says_so(deaths, analyst, monkeypatch):
    monkeypatch.setattr(reviews, "RELINK_AT_MOST", 2)
    before = AuditEntry.objects.filter(event="case.linked").count()
    review = _ghb_review(analyst)  # three deaths: not re-linked in the request
    assert AuditEntry.objects.filter(event="case.linked").count() == before
    assert m.Review.objects.get(pk=review).relinked_at is None
    with pytest.raises(services.Invalid) as info:
        services.relink_review(analyst, review)
    assert info.value.field == "review" and "vigil link" in info.value.reason
