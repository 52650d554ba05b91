"""The consistency dashboard's page and CSV: the figures, the funnel plots, the period form."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.services.test_consistency import store  # noqa: F401  # the hand-counted store
from tests.signin import sign_in
from vigil.domain import UserRole


@pytest.fixture
def panel(client, store):  # noqa: F811
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    return client


def test_the_page_shows_each_units_counts_and_a_funnel_per_figure_with_no_reference(panel):
    page = panel.get(reverse("oversight-consistency")).content.decode()
    assert "East Area" in page and "West Area" in page
    assert page.count('class="vigil-funnel__plot"') >= 3
    assert "A sergeant or above attended" in page
    assert "E-1" not in page and "Alex Testperson" not in page  # counts only, no case


def test_the_csv_holds_the_same_counts(panel):
    response = panel.get(reverse("oversight-consistency-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    east = next(
        r for r in rows if r["unit"] == "East Area" and r["indicator"].startswith("A sergeant")
    )
    assert (east["met"], east["of"], east["deaths"]) == ("2", "3", "3")


def test_a_period_the_wrong_way_round_is_refused_with_the_field_named(panel):
    page = panel.get(
        reverse("oversight-consistency"), {"start": "2026-12-01", "end": "2026-01-01"}
    ).content.decode()
    assert "The first day must not be after the last day" in page
    assert 'href="#start"' in page


def test_an_officer_gets_no_menu_link_and_a_refusal(client, officer, store):  # noqa: F811
    sign_in(client, "officer1")
    assert reverse("oversight-consistency") not in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("oversight-consistency")).status_code == 403
