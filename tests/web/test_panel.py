"""The advisory panel's pages: the referral form on the case page and the series page, the panel
member's queue, the referral page with the pack (as the panel sees it), the advice and answer
forms with refusals beside their fields, the pack as a PDF, and the menu.

Synthetic people only (``tests.conftest``)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import make_user, suspicious_report, two_similar_deaths
from tests.signin import sign_in
from vigil import services
from vigil.domain import PersonEntry, UserRole
from vigil.records import models as m
from vigil.services.linkage.series import Verdict, judge

SECRETS = (b"Testperson", b"Caller One", b"St Testing", b"51.5386", b"0.0811", b"07700", b"900461")


def errors_beside(response) -> dict[str, str]:
    found = re.findall(
        r'<p id="([\w-]+)-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        response.content.decode(),
    )
    return {field: message.replace("&#x27;", "'") for field, message in found}


@pytest.fixture
def panel(db):
    return make_user("panel1", UserRole.PANEL_MEMBER)


@pytest.fixture
def case(officer):
    report = suspicious_report()
    services.open_case(officer, "W-1", report, known_at=report.found_at)
    caller = PersonEntry(
        ref="P-C",
        name="Caller One",
        roles=["caller"],
        identifiers=[{"kind": "phone", "value": "07700 900461"}],
    )
    services.record_person(officer, "W-1", caller)
    return "W-1"


def test_a_supervisor_refers_a_case_from_its_page(client, case, sergeant, panel):
    sign_in(client, "sergeant1")
    page = client.get(reverse("case-detail", args=[case])).content.decode()
    assert reverse("panel-refer-case", args=[case]) in page
    form = client.get(reverse("panel-refer-case", args=[case]))
    assert form.status_code == 200 and b"Any panel member" in form.content
    assert b"panel1" in form.content  # the active panel members to choose from
    refused = client.post(reverse("panel-refer-case", args=[case]), {"question": " "})
    assert refused.status_code == 400
    assert "question" in errors_beside(refused)
    assert not m.PanelReferral.objects.exists()
    made = client.post(
        reverse("panel-refer-case", args=[case]),
        {"question": "Was the category right?", "panel_member": "panel1"},
    )
    referral = m.PanelReferral.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("panel-referral", args=[referral.pk])
    assert referral.panel_member == "panel1" and referral.reference == case


def test_a_series_is_referred_from_its_page(client, officer, sergeant, analyst, panel):
    two_similar_deaths(officer)
    judge(analyst, services.list_alerts(analyst, face="t")[0].link, Verdict.CONFIRM, "Linked.")
    sign_in(client, "sergeant1")
    assert reverse("panel-refer-series", args=["L-1"]).encode() in (
        client.get(reverse("series-detail", args=["L-1"])).content
    )
    client.post(reverse("panel-refer-series", args=["L-2"]), {"question": "Linked?"})
    referral = m.PanelReferral.objects.get()
    assert (referral.kind, referral.reference) == ("series", "L-1")
    assert sorted(referral.cases.values_list("case__reference", flat=True)) == ["L-1", "L-2"]


def test_the_panel_reads_the_pack_and_advises_then_the_supervisor_answers(
    client, case, sergeant, panel
):
    referral = services.refer_to_panel(sergeant, case, "Was the category right?")
    sign_in(client, "panel1")
    queue = client.get(reverse("panel-queue"))
    assert reverse("panel-referral", args=[referral.id]).encode() in queue.content
    url = reverse("panel-referral", args=[referral.id])
    page = client.get(url)
    assert page.status_code == 200 and b"Review pack" in page.content
    assert [s for s in SECRETS if s in page.content] == []
    assert b"Churchyard, about 51.54, 0.08" in page.content and b"Name withheld" in page.content
    refused = client.post(url, {"form": "advice", "advice-text": ""})
    assert refused.status_code == 400 and "advice-text" in errors_beside(refused)
    made = client.post(url, {"form": "advice", "advice-text": "Trace the phone first."})
    assert made.status_code == 302
    assert b"Trace the phone first." in client.get(url).content
    assert b'name="form" value="answer-' not in client.get(url).content  # the panel: no answer

    sign_in(client, "sergeant1")
    advice = m.PanelAdvice.objects.get()
    page = client.get(url).content.decode()
    assert f'value="answer-{advice.pk}"' in page
    field = f"answer-{advice.pk}"
    refused = client.post(url, {"form": field, f"{field}-accepted": "yes"})
    assert refused.status_code == 400 and f"{field}-reason" in errors_beside(refused)
    client.post(url, {"form": field, f"{field}-accepted": "no", f"{field}-reason": "Done already."})
    answer = m.AdviceAnswer.objects.get()
    assert (answer.accepted, answer.reason, answer.by) == (False, "Done already.", "sergeant1")
    listed = client.get(reverse("panel-referrals")).content
    assert b"Advice answered" in listed


def test_the_pack_prints_as_a_pdf_without_identities(client, case, sergeant, panel):
    referral = services.refer_to_panel(sergeant, case, "Was the category right?")
    sign_in(client, "panel1")
    response = client.get(reverse("panel-pack-pdf", args=[referral.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Review pack for the advisory panel" in text and "Case file W-1" in text
    assert [s for s in SECRETS if s.decode() in text] == []
    assert "Was the category right?" in text


@pytest.mark.parametrize(
    ("role", "queue", "referrals"),
    [
        (UserRole.PANEL_MEMBER, 200, 403),
        (UserRole.REVIEWING_OFFICER, 403, 200),
        (UserRole.RESPONSE_OFFICER, 403, 403),
    ],
)
def test_each_list_is_for_the_role_that_uses_it(client, db, role, queue, referrals):
    make_user("someone", role)
    sign_in(client, "someone")
    assert client.get(reverse("panel-queue")).status_code == queue
    assert client.get(reverse("panel-referrals")).status_code == referrals
    menu = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("panel-queue")}"' in menu) is (queue == 200)
    assert (f'href="{reverse("panel-referrals")}"' in menu) is (referrals == 200)
