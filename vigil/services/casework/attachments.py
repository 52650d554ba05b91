"""Files attached to a case (photographs of the scene, documents), kept outside the database.

- **Upload** (``attach``) needs ``investigate`` on a case the actor may see (the use-case frame
  ``changing``). The file is checked before anything is kept: its size against
  ``VIGIL_ATTACHMENT_MAX_MB``, its type from its first bytes (JPEG, PNG, PDF; plain text when
  it has no signature and reads as UTF-8 text), never from its name or the browser's word. It
  is streamed to ``VIGIL_ATTACHMENTS_DIR`` under a random name (Django's
  ``FileSystemStorage``) while its SHA-256 is taken; a file refused on the way is removed, so
  a refusal keeps nothing.
- **Download** (``fetch``) needs ``view_case`` and ``see_identities`` (a photograph or a
  document cannot be masked, so a reader whose view is masked gets none) on a case the actor
  may see. The stored file is hashed again as it is read; if it is not the file uploaded (its
  SHA-256 differs, or it is gone) it is refused (``Tampered``) and the refusal is audited.
- A hidden case answers exactly as a missing one (``visible_case``), and every upload, list
  and download is audited.
"""

from __future__ import annotations

import codecs
import hashlib
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.casework.unit import changing
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound, ServiceError

FIELD = "file"
CHUNK = 64 * 1024
HEAD = 8 * 1024  # the bytes read to tell a file's type
# What may be attached: the type as read from the file's first bytes, and its words.
ALLOWED = {
    "image/jpeg": "JPEG photograph",
    "image/png": "PNG image",
    "application/pdf": "PDF document",
    "text/plain": "plain text",
}
TYPES_IN_WORDS = "a JPEG or PNG photograph, a PDF document or a plain text file"


class AttachmentInfo(BaseModel):
    """An attachment as readers see it (and as the API returns it)."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str = Field(description="The case it is attached to.")
    name: str = Field(description="The name it was uploaded with.")
    content_type: str = Field(description="Its type, as read from its first bytes.")
    kind: str = Field(description="Its type in words.")
    size: int = Field(description="In bytes.")
    sha256: str = Field(description="Taken as it was received; checked on every download.")
    uploaded_by: str
    uploaded_at: datetime


class Tampered(ServiceError):
    """The stored file is not the file that was uploaded: it is not sent."""


def _info(row: m.Attachment, reference: str) -> AttachmentInfo:
    return AttachmentInfo(
        id=row.pk,
        reference=reference,
        name=row.original_name,
        content_type=row.content_type,
        kind=ALLOWED.get(row.content_type, row.content_type),
        size=row.size,
        sha256=row.sha256,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


def storage() -> FileSystemStorage:
    """Where attachments' files are kept: ``VIGIL_ATTACHMENTS_DIR``, readable by Vigil only."""
    return FileSystemStorage(
        location=settings.VIGIL.attachments_dir,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


def _too_big(limit: int) -> Invalid:
    return Invalid(FIELD, f"the file is larger than {megabytes(limit)}, the most Vigil accepts")


def _plain_text(head: bytes) -> bool:
    """``head`` reads as UTF-8 text: no NUL and no control character but tab, line breaks and
    form feed (a cut at the end, in the middle of a character, is allowed)."""
    text = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoded = text.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in decoded.lstrip("\ufeff")
    )


def kind_of(head: bytes) -> str:
    """The file's type from its first bytes, if Vigil accepts it; else ``Invalid``."""
    if not head:
        raise Invalid(FIELD, "the file is empty; choose the file again")
    guessed = filetype.guess(head)
    mime = str(guessed.mime) if guessed else None
    if mime is None and _plain_text(head):
        return "text/plain"
    if mime is None or mime not in ALLOWED:
        seen = f"of another kind ({str(guessed.extension).upper()})" if guessed else "none of these"
        raise Invalid(FIELD, f"Vigil accepts {TYPES_IN_WORDS}; this file is {seen}")
    return mime


class _Checked(File):  # type: ignore[type-arg]
    """An upload read once: its SHA-256 and size taken and its limit and, for plain text, its
    encoding checked on every chunk, as the storage writes it."""

    def __init__(self, upload: IO[bytes], limit: int, content_type: str) -> None:
        super().__init__(upload)
        self.source = upload
        self.limit = limit
        self.sha = hashlib.sha256()
        self.count = 0
        self.text = content_type == "text/plain"

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.source.seek(0)
        while chunk := self.source.read(CHUNK):
            self.count += len(chunk)
            if self.count > self.limit:
                raise _too_big(self.limit)
            if self.text:
                try:
                    decoded = decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoded = "\x00"
                if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in decoded):
                    raise Invalid(FIELD, "the file is not plain text all through")
            self.sha.update(chunk)
            yield chunk


def _name(given: str) -> str:
    """The name the file was uploaded with, without any folder or control character."""
    base = given.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return clean[:255] or "attachment"


def attach(
    actor: Actor, reference: str, upload: IO[bytes], name: str, size: int | None = None
) -> AttachmentInfo:
    """Attach ``upload`` (a binary file object, read from the start) to the case; refused
    with ``Invalid`` naming the field ``file`` if it is too big or of a type Vigil does not
    accept, and then nothing is kept. ``size``, when the face knows it, refuses a file too big
    before it is read."""
    limit = settings.VIGIL.attachment_max_bytes
    store, stored = storage(), ""
    try:
        with changing(actor, Permission.INVESTIGATE, reference, None) as (case, now):
            if size is not None and size > limit:
                raise _too_big(limit)
            upload.seek(0)
            content_type = kind_of(upload.read(HEAD))
            checked = _Checked(upload, limit, content_type)
            stored = _save(store, checked)
            row = m.Attachment.objects.create(
                case=case,
                original_name=_name(name),
                content_type=content_type,
                size=checked.count,
                sha256=checked.sha.hexdigest(),
                storage_name=stored,
                uploaded_by=actor.username,
                uploaded_at=now,
            )
            payload = {
                "attachment": row.pk,
                "name": row.original_name,
                "content_type": content_type,
                "size": row.size,
                "sha256": row.sha256,
            }
            audit.record(
                actor.username, Event.ATTACHMENT_ADDED, "case", case.reference, payload, at=now
            )
    except BaseException:
        if stored:  # refused after it was written, or not committed: nothing is kept
            store.delete(stored)
        raise
    return _info(row, case.reference)


def _save(store: FileSystemStorage, checked: _Checked) -> str:
    """Write the file under a random name nobody can guess; a file refused half-way (too big,
    not text all through) is removed."""
    name = secrets.token_hex(16)
    try:
        return store.save(name, checked)
    except BaseException:
        if store.exists(name):
            store.delete(name)
        raise


def list_attachments(actor: Actor, reference: str, *, face: str) -> tuple[AttachmentInfo, ...]:
    """The case's attachments, oldest first; audited as a consultation of the case."""
    require(actor, Permission.VIEW_CASE)
    require(actor, Permission.SEE_IDENTITIES)
    with use_case(actor):  # a hidden or missing case is audited as a probe
        case = visible_case(actor, reference)
        rows = [_info(row, case.reference) for row in case.attachments.all()]
        payload: dict[str, Any] = {"face": face, "count": len(rows)}
        audit.record(actor.username, Event.ATTACHMENTS_LISTED, "case", case.reference, payload)
    return tuple(rows)


def fetch(
    actor: Actor, reference: str, attachment: int, *, face: str
) -> tuple[AttachmentInfo, IO[bytes]]:
    """The attachment and a copy of its file (read from the start), checked against the
    SHA-256 taken at upload; audited. A file that is not the one uploaded is refused
    (``Tampered``), and the refusal audited."""
    require(actor, Permission.VIEW_CASE)
    require(actor, Permission.SEE_IDENTITIES)
    with use_case(actor):  # a hidden or missing case is audited as a probe
        case = visible_case(actor, reference)
        row = case.attachments.filter(pk=attachment).first()
        if row is None:
            raise NotFound("attachment", f"case {case.reference} has no attachment {attachment}")
    info = _info(row, case.reference)
    copy, found = _copy(row.storage_name)
    payload: dict[str, Any] = {
        "face": face,
        "attachment": row.pk,
        "name": row.original_name,
        "sha256": row.sha256,
    }
    now = utcnow()
    with transaction.atomic():
        if found != row.sha256:
            event, payload["found"] = Event.ATTACHMENT_REFUSED, found
        else:
            event = Event.ATTACHMENT_DOWNLOADED
        audit.record(actor.username, event, "case", case.reference, payload, at=now)
    if found != row.sha256:
        copy.close()
        what = "is missing" if not found else "is not the file that was uploaded"
        raise Tampered(
            FIELD,
            f"the stored file {row.original_name} {what}; it has not been sent, and the "
            "refusal is in the audit trail",
        )
    return info, copy


def _copy(storage_name: str) -> tuple[IO[bytes], str]:
    """A copy of the stored file and its SHA-256 (empty if the file is gone), taken in one
    reading, so that what is sent is exactly what was checked."""
    copy = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (returned)
    sha = hashlib.sha256()
    try:
        with storage().open(storage_name, "rb") as stored:
            while chunk := stored.read(CHUNK):
                sha.update(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        return copy, ""
    copy.seek(0)
    return copy, sha.hexdigest()
