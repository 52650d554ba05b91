"""The files attached to a case: the list, each with the SHA-256 taken at upload. Uploading and
downloading are the pages' (``/cases/<reference>/attachments/``), over the same service."""

from django.http import HttpRequest
from ninja import Router

from vigil import services
from vigil.api.problems import READ_ERRORS
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.services import AttachmentInfo

FACE = "api"

router = Router(tags=["cases"])


@router.get(
    "/cases/{path:reference}/attachments",
    response={200: list[AttachmentInfo], **READ_ERRORS},
    summary="List a case's attachments",
    # A file cannot be masked: only a reader who may see people's identities (and so the
    # case, unmasked of names) sees them; the service checks view_case as well.
    **needs(Permission.SEE_IDENTITIES),
)
def list_attachments(request: HttpRequest, reference: str) -> list[AttachmentInfo]:
    """The photographs and documents attached to the case, oldest first, each with its type
    (read from its first bytes), its size and the SHA-256 taken as it was received; audited."""
    return list(services.list_attachments(actor(request), reference, face=FACE))
