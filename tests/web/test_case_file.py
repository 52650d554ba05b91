"""The case file as a PDF (masked for the reader, audited as a view of the case) and the
attachments pages (upload, list with SHA-256, download checked against it)."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import T0, make_user, suspicious_report
from tests.signin import sign_in
from tests.web.casework import add_casework
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import DeathReport, PersonEntry, UserRole
from vigil.records import models as m

SENSITIVE = {"deceased": {"sexuality": "gay", "drug_use": "GHB at weekends"}}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture
def store(settings, tmp_path):
    folder = tmp_path / "attachments"
    settings.VIGIL = replace(settings.VIGIL, attachments_dir=folder)
    return folder


@pytest.fixture
def case(officer, sergeant, investigator, store):
    services.open_case(officer, "F-1", suspicious_report(), known_at=T0)
    services.record_facts(sergeant, "F-1", DeathReport.model_validate(SENSITIVE), known_at=T0)
    services.record_person(
        officer,
        "F-1",
        PersonEntry(
            ref="P-C",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
            statement="Alex Testperson was at my flat.",
        ),
    )
    add_casework(investigator, "F-1", T0, owner="investigator1")
    return "F-1"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def case_file(client, username: str, reference: str = "F-1"):
    sign_in(client, username)
    return client.get(reverse("case-file-pdf", args=[reference]))


def test_the_case_file_is_a_pdf_of_the_case(client, case):
    response = case_file(client, "sergeant1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="case-file-F-1.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in (
        "Case file F-1",
        "Printed for sergeant1 (reviewing officer)",
        "St Testing's churchyard",
        "Caller One",
        "Alex Testperson was at my flat.",
        "Checklist:",
        "Exhibits and custody",
    ):
        assert expected in text, expected
    assert "_" not in text.replace("case-file", ""), "no snake_case words in the case file"


def test_the_case_file_is_masked_for_the_reader(client, case):
    sergeant = pdf_text(case_file(client, "sergeant1").content)
    assert "GHB at weekends" in sergeant
    officer = pdf_text(case_file(client, "officer1").content)
    assert "GHB at weekends" not in officer and "Withheld from your role" in officer
    assert "Caller One" in officer
    make_user("panel1", UserRole.PANEL_MEMBER)
    panel = pdf_text(case_file(client, "panel1").content)
    for secret in ("GHB at weekends", "Caller One", "Alex Testperson", "900461"):
        assert secret not in panel, secret
    assert "Attachments" not in panel  # files cannot be masked: none for the panel


def test_reading_the_case_file_is_audited_as_a_view_of_the_case(client, case):
    case_file(client, "officer1")
    views = AuditEntry.objects.filter(event="case.viewed", target_ref="F-1", actor="officer1")
    assert [v.payload for v in views] == ['{"as_of":null,"face":"pdf"}']


def test_a_hidden_case_has_no_case_file(client, case, sergeant):
    services.restrict_case(sergeant, case, ["sergeant1"])
    hidden = case_file(client, "officer1")
    missing = client.get(reverse("case-file-pdf", args=["NOPE-1"]))
    assert hidden.status_code == missing.status_code == 404
    tokens = re.compile(rb"[A-Za-z0-9]{32,64}")  # CSRF tokens differ from answer to answer
    shown = tokens.sub(b"", hidden.content.replace(b"F-1", b"NOPE-1"))
    assert shown == tokens.sub(b"", missing.content)


def test_the_case_page_links_to_the_case_file_and_the_attachments(client, case):
    sign_in(client, "officer1")
    html = client.get(reverse("case-detail", args=[case])).content.decode()
    assert f'href="{reverse("case-file-pdf", args=[case])}"' in html
    assert "Download case file (PDF)" in html
    assert f'href="{reverse("case-attachments", args=[case])}"' in html
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    html = client.get(reverse("case-detail", args=[case])).content.decode()
    assert "Download case file (PDF)" in html
    assert reverse("case-attachments", args=[case]) not in html


def upload(client, content: bytes, name: str):
    url = reverse("case-attachments", args=["F-1"])
    return client.post(url, {"file": SimpleUploadedFile(name, content, "image/png")}, follow=True)


def test_an_officer_attaches_a_photo_sees_its_sha256_and_downloads_it(client, case, store):
    sign_in(client, "officer1")
    page = upload(client, PNG, "scene.png")
    digest = hashlib.sha256(PNG).hexdigest()
    html = page.content.decode()
    assert page.status_code == 200
    assert f"scene.png is attached to case F-1, SHA-256 {digest}." in html
    assert f'<code class="vigil-hash">{digest}</code>' in html
    row = m.Attachment.objects.get()
    download = client.get(reverse("case-attachment", args=["F-1", row.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="scene.png"'
    assert b"".join(download.streaming_content) == PNG


def test_a_refused_file_is_named_on_the_form_and_nothing_is_kept(client, case, store):
    sign_in(client, "officer1")
    page = upload(client, b"PK\x03\x04" + bytes(100), "scene.png")
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and 'href="#id_file"' in html
    assert "Vigil accepts a JPEG or PNG photograph, a PDF document or a plain text file" in html
    assert m.Attachment.objects.count() == 0 and not any(store.rglob("*.*"))
    empty = client.post(reverse("case-attachments", args=["F-1"]), {})
    assert empty.status_code == 400 and "Choose the file to attach" in empty.content.decode()


def test_a_tampered_file_is_refused_with_a_page_saying_so(client, case, store):
    sign_in(client, "officer1")
    upload(client, PNG, "scene.png")
    row = m.Attachment.objects.get()
    (store / row.storage_name).write_bytes(PNG + b"changed")
    response = client.get(reverse("case-attachment", args=["F-1", row.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The file has not been sent" in html
    assert "The stored file scene.png is not the file that was uploaded" in html


def test_the_attachments_need_their_permissions(client, case, store):
    make_user("analyst1", UserRole.ANALYST)
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "analyst1")
    page = client.get(reverse("case-attachments", args=["F-1"]))
    assert page.status_code == 200 and "Attach a file" not in page.content.decode()
    assert upload(client, PNG, "scene.png").status_code == 403
    sign_in(client, "panel1")
    assert client.get(reverse("case-attachments", args=["F-1"])).status_code == 403
    assert m.Attachment.objects.count() == 0
