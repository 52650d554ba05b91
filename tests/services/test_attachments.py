"""Attachments: stored outside the database under a random name with the SHA-256 taken at
upload, checked on download; too big or of another type refused naming the field and keeping
nothing; upload needs investigate, download view and identities, on a case the actor may see."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import T0, make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.config.env import SettingsError, VigilSettings
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.casework import attachments as files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TEXT = "Statement of the finder, written at the scene: 06:10, café on Elm Road.\n".encode()


@pytest.fixture
def store(settings, tmp_path):
    folder = tmp_path / "attachments"
    settings.VIGIL = replace(settings.VIGIL, attachments_dir=folder)
    return folder


@pytest.fixture
def case(officer, store):
    services.open_case(officer, "ATT-1", suspicious_report(), known_at=T0)
    return "ATT-1"


def stored_files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def payload(entry: AuditEntry) -> dict:
    return json.loads(entry.payload) if isinstance(entry.payload, str) else entry.payload


def audited(code: str, reference: str = "ATT-1") -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=code, target_ref=reference))


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PNG, "scene.png", "image/png"),
        (JPEG, "scene-2.JPG", "image/jpeg"),
        (PDF, "post-mortem.pdf", "application/pdf"),
        (TEXT, "statement.txt", "text/plain"),
    ],
)
def test_the_sha256_is_taken_at_upload_and_the_file_kept_outside_the_database(
    officer, case, store, content, name, content_type
):
    added = files.attach(officer, case, io.BytesIO(content), name, len(content))
    row = m.Attachment.objects.get(pk=added.id)
    digest = hashlib.sha256(content).hexdigest()
    assert (added.sha256, row.sha256, row.size) == (digest, digest, len(content))
    assert (row.content_type, row.original_name, row.uploaded_by) == (
        content_type,
        name,
        "officer1",
    )
    # Under a random name, never the one given, with the bytes received.
    assert name not in row.storage_name and len(row.storage_name) == 32
    assert (store / row.storage_name).read_bytes() == content
    assert stored_files(store) == [row.storage_name]
    [entry] = audited("case.attachment_added")
    assert payload(entry)["sha256"] == digest and entry.actor == "officer1"


def test_the_type_is_read_from_the_content_not_the_name_or_the_browser(officer, case, store):
    added = files.attach(officer, case, io.BytesIO(PNG), "looks-like.pdf")
    assert added.content_type == "image/png"
    html = b"<html><script>alert(1)</script></html>"
    with pytest.raises(services.Invalid) as refused:
        files.attach(officer, case, io.BytesIO(b"MZ\x90\x00" + bytes(300)), "photo.jpg")
    assert refused.value.field == "file"
    assert "JPEG or PNG photograph" in refused.value.reason
    # Text, but HTML: accepted only as plain text, and sent as plain text.
    assert files.attach(officer, case, io.BytesIO(html), "page.png").content_type == "text/plain"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04" + bytes(100), "scene.jpg"),  # a zip archive
        (b"GIF89a" + bytes(100), "scene.gif"),  # an image of a type not on the list
        (b"", "empty.txt"),
        (b"plain words\n" * 1000 + b"\x00\x01binary" + b"more words\n" * 1000, "notes.txt"),
    ],
    ids=["zip", "gif", "empty", "binary-after-the-first-bytes"],
)
def test_another_type_is_refused_naming_the_field_and_nothing_is_kept(
    officer, case, store, content, name
):
    with pytest.raises(services.Invalid) as refused:
        files.attach(officer, case, io.BytesIO(content), name)
    assert refused.value.field == "file"
    assert m.Attachment.objects.count() == 0
    assert stored_files(store) == []
    assert audited("case.attachment_added") == []


@pytest.mark.parametrize("size_known", [True, False], ids=["size-given", "found-while-reading"])
def test_a_file_too_big_is_refused_naming_the_field_and_nothing_is_kept(
    settings, officer, case, store, size_known
):
    settings.VIGIL = replace(settings.VIGIL, attachment_max_bytes=200 * 1024)
    content = PNG + bytes(300 * 1024)
    with pytest.raises(services.Invalid) as refused:
        files.attach(
            officer, case, io.BytesIO(content), "big.png", len(content) if size_known else None
        )
    assert refused.value.field == "file"
    assert "larger than 0.195 MB" in refused.value.reason
    assert m.Attachment.objects.count() == 0
    assert stored_files(store) == []


def test_download_sends_the_file_checked_and_audits_it(officer, case, store):
    added = files.attach(officer, case, io.BytesIO(JPEG), "scene.jpg")
    info, content = files.fetch(officer, case, added.id, face="test")
    assert content.read() == JPEG and info.sha256 == added.sha256
    [entry] = audited("case.attachment_downloaded")
    assert payload(entry) == {
        "face": "test",
        "attachment": added.id,
        "name": "scene.jpg",
        "sha256": added.sha256,
    }
    assert [a.name for a in files.list_attachments(officer, case, face="test")] == ["scene.jpg"]


@pytest.mark.parametrize("damage", ["changed", "deleted"])
def test_a_tampered_file_is_refused_on_download_and_the_refusal_audited(
    officer, case, store, damage
):
    added = files.attach(officer, case, io.BytesIO(JPEG), "scene.jpg")
    path = store / m.Attachment.objects.get(pk=added.id).storage_name
    if damage == "changed":
        path.write_bytes(JPEG.replace(b"JFIF", b"JFIX"))
    else:
        path.unlink()
    with pytest.raises(files.Tampered) as refused:
        files.fetch(officer, case, added.id, face="test")
    what = "is missing" if damage == "deleted" else "is not the file that was uploaded"
    assert f"the stored file scene.jpg {what}; it has not been sent" in refused.value.reason
    [entry] = audited("case.attachment_refused")
    assert payload(entry)["sha256"] == added.sha256
    assert payload(entry)["found"] == (
        "" if damage == "deleted" else hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert audited("case.attachment_downloaded") == []


def test_upload_needs_investigate_and_download_needs_to_see_identities(officer, case, store):
    analyst = make_user("analyst1", UserRole.ANALYST)
    panel = make_user("panel1", UserRole.PANEL_MEMBER)
    with pytest.raises(services.Forbidden):
        files.attach(analyst, case, io.BytesIO(PNG), "scene.png")
    assert stored_files(store) == []
    added = files.attach(officer, case, io.BytesIO(PNG), "scene.png")
    assert files.fetch(analyst, case, added.id, face="test")[0].sha256 == added.sha256
    with pytest.raises(services.Forbidden):
        files.fetch(panel, case, added.id, face="test")
    with pytest.raises(services.Forbidden):
        files.list_attachments(panel, case, face="test")


def test_a_hidden_case_answers_as_a_missing_one(officer, sergeant, case, store):
    added = files.attach(officer, case, io.BytesIO(PNG), "scene.png")
    services.open_case(officer, "ATT-2", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, case, [sergeant.username])
    outsider = make_user("officer2", UserRole.RESPONSE_OFFICER)
    answers = []
    for reference in (case, "NO-SUCH-1"):
        with pytest.raises(services.NotFound) as hidden:
            files.fetch(outsider, reference, added.id, face="test")
        with pytest.raises(services.NotFound) as upload:
            files.attach(outsider, reference, io.BytesIO(PNG), "scene.png")
        answers.append(
            (
                hidden.value.reason.replace(reference, "<ref>"),
                upload.value.reason.replace(reference, "<ref>"),
            )
        )
    assert answers[0] == answers[1]
    assert stored_files(store) == [m.Attachment.objects.get().storage_name]
    # An attachment of one case is not found through another.
    with pytest.raises(services.NotFound):
        files.fetch(officer, "ATT-2", added.id, face="test")
    assert len(audited("case.probed")) == 2


def test_the_directory_and_the_limit_come_from_the_environment(tmp_path):
    env = {"VIGIL_HOME": str(tmp_path), "VIGIL_SECRET_KEY": "k" * 50, "VIGIL_AUDIT_KEY": "a" * 64}
    default = VigilSettings.from_env(env)
    assert default.attachments_dir == tmp_path / "attachments"
    assert default.attachment_max_bytes == 20 * 1024 * 1024
    given = {**env, "VIGIL_ATTACHMENTS_DIR": "/srv/vigil-files", "VIGIL_ATTACHMENT_MAX_MB": "5"}
    chosen = VigilSettings.from_env(given)
    assert chosen.attachments_dir == Path("/srv/vigil-files")
    assert chosen.attachment_max_bytes == 5 * 1024 * 1024
    with pytest.raises(SettingsError, match="VIGIL_ATTACHMENT_MAX_MB"):
        VigilSettings.from_env({**env, "VIGIL_ATTACHMENT_MAX_MB": "0"})
