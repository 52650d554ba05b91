"""Stored linkage profiles key an organisation's number (freephone, shared-cost, ...) as
'orgphone:...' (``vigil.linkage.profile.identifier_key``), so linkage weighs it apart from a
person's phone. Profiles written before are re-keyed here; nothing else in them changes. Links
already made keep their weights until the cases are linked again (`vigil link --all`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from vigil.linkage.profile import identifier_key, split_key


def _rekey(key: str) -> str:
    kind, normalised = split_key(key)
    return identifier_key(kind, normalised)


def _unkey(key: str) -> str:
    kind, normalised = split_key(key)
    return f"{kind}:{normalised}"


def rekey_profiles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rewrite(apps, _rekey)


def unkey_profiles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rewrite(apps, _unkey)


def _rewrite(apps: Apps, rekey: Callable[[str], str]) -> None:
    Case = apps.get_model("records", "Case")
    changed: list[Any] = []
    for case in Case.objects.exclude(profile={}).only("id", "profile").iterator(chunk_size=2000):
        row, roles = case.profile.get("row", {}), case.profile.get("roles", {})
        keys = [rekey(k) for k in row.get("identifiers", [])]
        if keys == row.get("identifiers", []):
            continue
        row["identifiers"] = sorted(keys)
        case.profile["roles"] = {rekey(k): v for k, v in roles.items()}
        changed.append(case)
    Case.objects.bulk_update(changed, ["profile"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("records", "0006_search_index")]

    operations = [migrations.RunPython(rekey_profiles, unkey_profiles)]
