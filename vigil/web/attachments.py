"""The case file as a PDF, and the files attached to a case: the list with each file's SHA-256,
the upload form (a Django form), and the download, checked against the SHA-256 taken at upload.
Every rule (permission, need-to-know, size, type, the check, the audit) is the service's
(``vigil.services.casework.attachments``); these pages only ask and show."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.services import (
    AttachmentTampered,
    attach_file,
    attachment_megabytes,
    fetch_attachment,
    list_attachments,
    may,
)
from vigil.web.casefile import case_file
from vigil.web.common import actor_of
from vigil.web.views import page


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A photograph (JPEG or PNG), a PDF document or a plain text file, at most "
        "{limit}. Its SHA-256 is taken as it is received and checked whenever it is downloaded.",
        error_messages={"required": "Choose the file to attach"},
    )


def _file_name(reference: str, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", reference).strip("-.") + suffix


@page
@require_GET
def case_file_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The case file as a PDF, masked for the reader, audited as a view of the case."""
    stored, pdf = case_file(request, actor_of(request), reference)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _file_name(f"case-file-{stored}", ".pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@page
@require_http_methods(["GET", "POST"])
def attachment_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's attachments with their SHA-256, and (for whoever may add them) the upload."""
    actor = actor_of(request)
    limit = attachment_megabytes(settings.VIGIL.attachment_max_bytes)
    form = UploadForm()
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                added = attach_file(actor, reference, upload, upload.name or "", upload.size)
            except services.Invalid as exc:
                form.add_error("file", f"{exc.reason[:1].upper()}{exc.reason[1:]}")
            else:
                messages.success(
                    request,
                    f"{added.name} is attached to case {added.reference}, SHA-256 {added.sha256}.",
                )
                return redirect("case-attachments", reference=added.reference)
        errors = [("id_file", str(message)) for message in form.errors.get("file", [])]
    shown = list_attachments(actor, reference, face="web")
    form.fields["file"].help_text = str(form.fields["file"].help_text).format(limit=limit)
    return render(
        request,
        "vigil/attachments.html",
        {
            "reference": reference,
            "attachments": shown,
            "form": form,
            "errors": errors,
            "may_attach": may(actor, Permission.INVESTIGATE),
        },
        status=400 if errors else 200,
    )


@page
@require_GET
def attachment_download(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponse:
    """The file, if it is still the file uploaded; else a page saying it was refused."""
    actor = actor_of(request)
    try:
        info, content = fetch_attachment(actor, reference, attachment_id, face="web")
    except AttachmentTampered as exc:
        context = {"reference": reference, "reason": exc.reason}
        return render(request, "vigil/attachment_refused.html", context, status=409)
    sent = FileResponse(
        content, as_attachment=True, filename=info.name, content_type=info.content_type
    )
    return cast(HttpResponse, sent)  # streamed; ``page`` types every view as an HttpResponse
