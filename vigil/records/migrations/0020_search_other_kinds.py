"""The search index reads what a drugging report and an intelligence entry hold (issue 13).

A drugging report names the person reported (their handle, the name they used, phone, address,
the app where they met, what they are like) and the substances suspected; an intelligence entry
names its source and its reference there. None of these were in the index of 0006, so an
officer searching for a handle that a survivor reported found nothing. They go into the columns
whose guard fits them (``vigil.services.readmodels.search``): the person reported into
'identity' (only readers with ``see_identities`` may match them, as the names of persons on a
case), the substances suspected and the source into 'open'.

- SQLite: the FTS5 table and its triggers are made again from 0006's ``source`` with the new
  paths, and every case is indexed again.
- PostgreSQL: the two GIN indexes whose expressions change ('open' and 'place') are made again
  on the new expressions, which ``vigil.services.readmodels.search.VECTORS`` must equal.

A later migration that rebuilds records_case (or the persons' tables) on SQLite must call this
migration's ``install`` again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.apps.registry import Apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

base = importlib.import_module("vigil.records.migrations.0006_search_index")

OPEN = ("drugging.substances_suspected", "intelligence.source", "intelligence.source_reference")
IDENTITY = (
    "drugging.app",
    "drugging.handle",
    "drugging.name_used",
    "drugging.phone",
    "drugging.address",
    "drugging.description",
)
SOURCE = base.source(OPEN, IDENTITY)


def _state(path: str) -> object:
    return base.JsonText("state", *path.split("."))


VECTORS: dict[str, Callable[[], SearchVector]] = {
    "vigil_search_case_open": lambda: base.vector(
        "reference",
        "place_type",
        base.JsonText("state", "toxicology", "substances"),
        *map(_state, OPEN),
    ),
    "vigil_search_case_place": lambda: base.vector(
        base.JsonText("state", "location", "address"),
        base.JsonText("state", "first_account", "given_by"),
        *map(_state, IDENTITY),
    ),
}


def _swap(apps: Apps, schema_editor: BaseDatabaseSchemaEditor, forward: bool) -> None:
    case = apps.get_model("records", "case")
    before = {name: base.VECTORS[("case", name)] for name in VECTORS}
    old, new = (before, VECTORS) if forward else (VECTORS, before)
    for name, make in old.items():
        schema_editor.remove_index(case, GinIndex(make(), name=name))
    for name, make in new.items():
        schema_editor.add_index(case, GinIndex(make(), name=name))


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        base.install_sqlite(schema_editor, SOURCE)
    elif vendor == "postgresql":
        _swap(apps, schema_editor, forward=True)


def uninstall(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        base.install_sqlite(schema_editor)
    elif vendor == "postgresql":
        _swap(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("records", "0019_rate_alerts")]
    operations = [migrations.RunPython(install, uninstall)]
