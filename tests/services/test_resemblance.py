"""The officer at the scene is told what the analyst will be: the death is like N other cases,
with the strongest links and any cluster it falls in, masked by role and need-to-know."""

from tests.conftest import expected_report, make_user, two_similar_deaths
from vigil import services
from vigil.domain.enums import UserRole
from vigil.services.readmodels.casepage import case_page


def test_a_response_officer_is_told_the_death_resembles_another(officer, analyst):
    two_similar_deaths(officer)
    like = case_page(officer, "L-2", face="test").resemblance
    assert like.cases == 1
    assert [o.reference for o in like.strongest] == ["L-1"]
    said = " ".join(like.strongest[0].reasons)
    assert "apart" in said or "phone" in said
    assert "of 2 deaths" not in said  # no counts of the store


def test_a_case_the_reader_may_not_see_is_neither_named_nor_counted(officer, analyst):
    two_similar_deaths(officer)
    boss = make_user("inspector1", UserRole.REVIEWING_OFFICER)
    services.restrict_case(boss, "L-1", ["inspector1"])
    like = case_page(officer, "L-2", face="test").resemblance
    assert like.cases == 0 and like.strongest == () and not like.any
    assert case_page(boss, "L-2", face="test").resemblance.cases == 1


def test_a_death_like_no_other_says_nothing(officer, analyst):
    two_similar_deaths(officer)
    services.open_case(officer, "E-1", expected_report())
    like = case_page(officer, "E-1", face="test").resemblance
    assert like.cases == 0 and not like.clusters and not like.any
