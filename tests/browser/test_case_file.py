"""The case file and attachments in real Chromium (issue 12, item 8): an officer attaches a
photograph of the scene from the case page, first a file of a kind Vigil refuses (named on the
form, nothing kept), then the photograph; sees it listed with its SHA-256; downloads it and
gets the same bytes; and downloads the case file as a PDF. Each page is checked with axe-core.

The case and the photograph are synthetic (a generated image).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import axe, sign_in
from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.domain import UserRole
from vigil.records import models as m


def photograph() -> bytes:
    """A small synthetic JPEG: a grey gradient, as a camera would save it."""
    image = Image.new("RGB", (64, 48))
    image.putdata([(x * 4, y * 5, 128) for y in range(48) for x in range(64)])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def test_an_officer_attaches_a_photo_and_downloads_it_and_the_case_file(
    page: Page, browser_user, settings, tmp_path: Path
):
    settings.VIGIL = replace(settings.VIGIL, attachments_dir=tmp_path / "attachments")
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    services.open_case(officer.actor, "PH-1", suspicious_report(), known_at=T0)
    sign_in(page, officer)

    page.goto("/cases/PH-1/")
    page.get_by_role("link", name="Attachments: photographs and documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attachments")
    expect(page.get_by_text("No files are attached to this case yet.")).to_be_visible()
    assert axe(page) == []

    # A file that is not a photograph, whatever its name says: refused, nothing kept.
    fake = tmp_path / "scene.jpg"
    fake.write_bytes(b"PK\x03\x04" + bytes(200))
    page.get_by_label("File", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Attach the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Vigil accepts a JPEG or PNG photograph")
    expect(page.locator("#id_file-error")).to_contain_text("this file is of another kind (ZIP)")
    assert not m.Attachment.objects.exists()
    assert not any((tmp_path / "attachments").glob("*"))
    assert axe(page) == []

    # The photograph: attached, listed with its SHA-256.
    content = photograph()
    digest = hashlib.sha256(content).hexdigest()
    photo = tmp_path / "scene-photo.jpg"
    photo.write_bytes(content)
    page.get_by_label("File", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"scene-photo.jpg is attached to case PH-1, SHA-256 {digest}."
    )
    table = page.get_by_role("region", name="Files attached to case PH-1")
    expect(table).to_contain_text("scene-photo.jpg")
    expect(table).to_contain_text("JPEG photograph")
    expect(table).to_contain_text(digest)
    assert axe(page) == []

    with page.expect_download() as got:
        page.get_by_role("link", name="scene-photo.jpg").click()
    download = got.value
    assert download.suggested_filename == "scene-photo.jpg"
    assert Path(download.path()).read_bytes() == content

    # The case file, from the case page.
    page.get_by_role("link", name="Back to case PH-1").click()
    with page.expect_download() as got:
        page.get_by_role("link", name="Download case file (PDF)").click()
    pdf = got.value
    assert pdf.suggested_filename == "case-file-PH-1.pdf"
    data = Path(pdf.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Case file PH-1" in text
    assert digest in text.replace("\n", "")  # the attachment, with its SHA-256
