"""The safeguarding team's key pair for the portal (what `vigil portal keys` makes).

The public key (``settings.VIGIL.portal_public_key_file``, in VIGIL_HOME) is what the portal
seals every report and message to; the private key, the team's *identity*, is written only
protected by the team's passphrase (``settings.VIGIL.portal_identity_file``), so the server
never holds it readable. Both files are the owner's only. Replacing the pair makes every report
sealed to the old key unreadable to the team, so it is refused unless asked for in so many
words.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.sealing import SealingError, new_team_identity
from vigil.services.errors import Invalid

EXISTS = (
    "a team key exists already: replacing it makes every report sealed to it so far "
    "unreadable to the team (ask for that with --replace)"
)


def team_key_exists() -> bool:
    """Whether the team's protected identity has been written."""
    return Path(settings.VIGIL.portal_identity_file).exists()


def _write_owner_only(path: Path, content: bytes) -> None:
    """``content`` written to ``path`` readable by its owner only, whole or not at all (written
    beside it, then moved into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def make_team_key(actor: Actor, passphrase: str, *, replace: bool = False) -> str:
    """A new team key pair: the identity protected by ``passphrase`` and the public key, each
    written to its file, the making audited. Refused (``Invalid``) if a pair exists and
    ``replace`` is not given, or if the passphrase is too short. The new public key."""
    existed = team_key_exists()
    if existed and not replace:
        raise Invalid("replace", EXISTS)
    try:
        public_key, protected = new_team_identity(passphrase)
    except SealingError as error:
        raise Invalid("passphrase", error.problem.sentence) from None
    with transaction.atomic():  # the files written, or the audit row rolled back
        payload = {"public_key": public_key, "replaced": existed}
        audit.record(actor.username, Event.PORTAL_KEY_MADE, "portal", "team key", payload)
        _write_owner_only(Path(settings.VIGIL.portal_identity_file), protected)
        _write_owner_only(Path(settings.VIGIL.portal_public_key_file), f"{public_key}\n".encode())
    return public_key
