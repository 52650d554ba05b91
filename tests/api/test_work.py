"""A user's work over the API: dashboard, overdue items, the review queue, the preview of a
report not yet saved, and a case's linked cases."""

from __future__ import annotations

from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Category
from vigil.records import models as m


def test_overdue_items_are_listed_oldest_first_and_audited(case, as_user):
    items = as_user("officer1").get("/overdue").json()
    assert items and {i["reference"] for i in items} == {"S-1"}
    deadlines = [i["deadline"] for i in items]
    assert deadlines == sorted(deadlines)
    assert AuditEntry.objects.filter(
        event="cases.listed", target_type="overdue", actor="officer1"
    ).exists()


def test_the_dashboard_shows_only_the_sections_of_the_role(case, as_user, analyst):
    officer = as_user("officer1").get("/dashboard").json()
    assert officer["overdue"]["count"] > 0
    assert officer["alerts"]["shown"] is False
    assert officer["drafts"]["shown"] is True
    board = as_user("analyst1").get("/dashboard").json()
    assert board["alerts"]["shown"] is True and board["drafts"]["shown"] is False
    assert AuditEntry.objects.filter(target_type="dashboard", actor="analyst1").exists()


def test_the_review_queue_for_those_who_categorise(case, as_user, sergeant, analyst):
    api = as_user("sergeant1")
    queue = api.get("/review-queue").json()
    assert queue["total"] == 1 and queue["items"][0]["reference"] == "S-1"
    services.decide_category(sergeant, "S-1", Category.HOMICIDE, "Drugged and moved.")
    assert api.get("/review-queue").json()["total"] == 0
    refused = as_user("analyst1").get("/review-queue")
    assert refused.status_code == 403 and refused.json()["permission"] == "categorise"


def test_preview_gives_the_floor_and_unmet_items_and_saves_nothing(case, as_user):
    before = m.Fact.objects.count()
    report = {
        "found_at": "2015-06-02T06:10:00Z",
        "location": {"place_type": "churchyard"},
        "deceased": {"sex": "male", "age": 22, "known_illness": False},
        "scene": {"moved_after_death": True},
    }
    api = as_user("officer1")
    response = api.post("/reports/preview", {"report": report})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["floor"] == "unexpected_under_investigation"
    assert body["floor_reasons"] and body["unmet"]
    over_case = api.post("/reports/preview", {"reference": "S-1", "report": report})
    assert over_case.status_code == 200
    assert api.post("/reports/preview", {"reference": "NOPE", "report": report}).status_code == 404
    assert m.Fact.objects.count() == before


def test_linked_cases_with_their_explanations(linked_pair, as_user, investigator):
    body = as_user("investigator1").get("/cases/L-1/links").json()
    assert body["total"] == 1
    link = body["links"][0]
    assert (link["link"], link["reference"], link["alert"]) == (linked_pair.pk, "L-2", True)
    assert link["reasons"] and link["verdict"] == ""
    # officers do not see linkage
    assert as_user("officer1").get("/cases/L-1/links").json()["links"] == []
