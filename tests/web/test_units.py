"""Command units on the pages: the case list, the review queue and the dashboard start from the
signed-in user's unit and offer every unit; the case page says the unit in words."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.conftest import SYSTEM, T0, suspicious_report
from tests.services.units_files import EAST_LON, WEST_LON, units_file
from tests.signin import sign_in
from vigil import services
from vigil.domain import DeathReport


def text(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def refs(response, link: str = "case-detail") -> list[str]:
    prefix = reverse(link, args=["X"])[: -len("X/")]
    found = re.findall(rf'href="{re.escape(prefix)}([^"/]+)/">\1<', response.content.decode())
    return sorted(set(found))


@pytest.fixture
def east_and_west(officer):
    services.load_units(SYSTEM, units_file())
    services.open_case(officer, "E-1", suspicious_report(location__longitude=EAST_LON), known_at=T0)
    services.open_case(officer, "W-1", suspicious_report(location__longitude=WEST_LON), known_at=T0)
    services.set_user_unit(SYSTEM, "officer1", "E")


def test_the_case_list_starts_from_the_users_unit_and_offers_all(client, east_and_west):
    sign_in(client, "officer1")
    own = client.get(reverse("case-list"))
    assert own.status_code == 200
    assert refs(own) == ["E-1"]
    assert "1 case in East Borough (E)." in text(own)
    html = own.content.decode()
    assert '<option value="E" selected>East Borough (E)</option>' in html
    assert '<option value="all">All units</option>' in html
    every = client.get(reverse("case-list"), {"unit": "all"})
    assert refs(every) == ["E-1", "W-1"] and "2 cases." in text(every)
    force = client.get(reverse("case-list"), {"unit": "F"})
    assert refs(force) == ["E-1", "W-1"] and "2 cases in Test Force (F)." in text(force)


def test_a_unit_not_in_the_list_is_named_in_the_error_summary(client, east_and_west):
    sign_in(client, "officer1")
    page = client.get(reverse("case-list"), {"unit": "Q"})
    assert page.status_code == 400
    assert "Choose a command unit from the list" in text(page)


def test_a_user_without_a_unit_sees_every_unit(client, east_and_west, sergeant):
    sign_in(client, "sergeant1")
    assert refs(client.get(reverse("case-list"))) == ["E-1", "W-1"]


def test_the_case_page_says_the_unit_in_words(client, east_and_west):
    services.record_facts(
        services.actor_for("officer1"),
        "W-1",
        DeathReport.model_validate({"location": {"unit": "E"}}),
    )
    sign_in(client, "officer1")
    placed = text(client.get(reverse("case-detail", args=["E-1"])))
    assert "Command unit East Borough (E), in Test Force (F) (where its coordinates fall)" in placed
    named = text(client.get(reverse("case-detail", args=["W-1"])))
    assert "East Borough (E), in Test Force (F) (named on the report)" in named


def test_the_review_queue_starts_from_the_users_unit(client, east_and_west, sergeant):
    services.set_user_unit(SYSTEM, "sergeant1", "W")
    sign_in(client, "sergeant1")
    own = client.get(reverse("review-queue"))
    assert refs(own, "review-case") == ["W-1"]
    assert "1 case in West Borough (W) awaiting review." in text(own)
    every = client.get(reverse("review-queue"), {"unit": "all"})
    assert refs(every, "review-case") == ["E-1", "W-1"]


def overdue_count(response) -> int:
    found = re.search(r'id="overdue-count">(.*?)</dd>', response.content.decode(), re.S)
    assert found
    number = re.search(r"\d+", found.group(1))
    return int(number.group()) if number else 0


def test_the_dashboard_narrows_the_units_work_and_its_lists_follow(client, east_and_west):
    sign_in(client, "officer1")
    everything = overdue_count(client.get(reverse("dashboard"), {"unit": "all"}))
    own = client.get(reverse("dashboard"))
    assert 0 < overdue_count(own) < everything
    assert overdue_count(own) * 2 == everything  # the two cases hold the same items
    assert "those of East Borough (E) and the units below it" in text(own)
    full = re.search(r'href="([^"]*section=overdue[^"]*)"', own.content.decode())
    assert full and "unit=E" in unescape(full.group(1))
    section = client.get(unescape(full.group(1)))
    assert f"{overdue_count(own)} in all." in text(section)
