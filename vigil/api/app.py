"""The API object: its routers, its refusals, its OpenAPI document at /api/openapi.json."""

from ninja import NinjaAPI

from vigil.api import attachments, cases, casework, linkage, panel, problems, rates, work

DESCRIPTION = """\
Everything the pages do, over the same services and permission checks.

**Sign-in** is the pages' session: sign in at /login/ with your password and then the code
from your authenticator (/verify/); the API then accepts the session cookie. Without a
session, or before the second step, it answers 401. Unsafe methods (POST, DELETE) need the
CSRF token, the `csrftoken` cookie's value, in an `X-CSRFToken` header.

**Permissions** come from the role table; each operation names the one it needs
(`x-vigil-permission`), and a role without it gets 403 naming it. A restricted case you are
not named on answers 404, exactly as a case that does not exist.

**Concurrency**: reading a case gives an `ETag`; `If-None-Match` with it gives 304. Every
write to a case needs `If-Match` with the ETag you read: without it 428; if the case has
changed since, 412 and nothing is changed. A write returns the case and its new ETag.

**Refusals** are JSON: `error`, `field`, `reason` (and `permission` on 403); invalid input
gives 422 with the field at fault and why.
"""

api = NinjaAPI(
    title="Vigil",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # the OpenAPI document is the reference; no page from a CDN
)
problems.install(api)
# first: /series/{reference}/panel-referrals before /series/{reference} takes any longer path
api.add_router("", panel.router)
api.add_router("", cases.router)
api.add_router("", casework.router)
api.add_router("", linkage.router)
api.add_router("", rates.router)
api.add_router("", work.router)
api.add_router("", attachments.router)
api.add_router("", cases.read_router)  # last: /cases/{reference} matches any longer path
