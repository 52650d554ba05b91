"""The chain becomes keyed (HMAC-SHA256 under VIGIL_AUDIT_KEY). Rows already written keep their
plain SHA-256 hash; one signed row is appended that says how many there are, so that they cannot
be rewritten either (``vigil.audit.service.seal_legacy``). Nothing is appended to an empty chain."""

from typing import Any

from django.db import migrations

from vigil.audit.service import seal_legacy


def seal(apps: Any, schema_editor: Any) -> None:
    seal_legacy(apps.get_model("audit", "AuditEntry"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
