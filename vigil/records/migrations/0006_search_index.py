"""The full-text index that `vigil.services.readmodels.search` reads.

- SQLite: an FTS5 table, ``vigil_search``, with one row per case (its rowid is the case's id)
  and one column per rule that decides who may match a word (see `vigil.services.readmodels.search`):
  ``open`` (reference, place type, substances), ``identity`` (where found, who gave the first
  account, the names and identifiers of the persons on the case) and ``victim`` (who the
  deceased was, free text that may name them, and the deceased's own person entry). Triggers on
  the tables it reads (cases, persons on cases, persons' names, identifiers) rebuild a case's
  row whenever one of them changes, so every writer (the use cases, the bulk import, a later
  migration's data step) keeps it current without knowing about it. The existing cases are
  indexed here.
- PostgreSQL: GIN indexes on the expressions `vigil.services.readmodels.search` queries with
  django.contrib.postgres' SearchVector (they must stay identical; a test checks that the
  planner uses them).

Caution for later migrations on SQLite: a migration that rebuilds records_case,
records_caseperson, records_person or records_identifier (Django does so for most AlterField and
for AddField of a NOT NULL column) drops their triggers; it must run the latest index
migration's ``install`` again (0020's; tests/services/test_search.py fails if a write is not
indexed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps.registry import Apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# --- SQLite: FTS5 and its triggers -----------------------------------------------------------


def _j(path: str) -> str:
    return f"coalesce(json_extract(c.state, '$.{path}'), '')"


def _joined(*parts: str) -> str:
    return " || ' ' || ".join(parts)


_DECEASED_ENTRY = "EXISTS (SELECT 1 FROM json_each(cp.roles) WHERE value = 'deceased')"
_DECEASED_HOLDER = (
    "EXISTS (SELECT 1 FROM records_caseperson d, json_each(d.roles) r WHERE d.case_id = i.case_id"
    " AND d.person_id = i.person_id AND r.value = 'deceased')"
)


def _names(deceased: bool) -> str:
    test = _DECEASED_ENTRY if deceased else f"NOT {_DECEASED_ENTRY}"
    return (
        "coalesce((SELECT group_concat(p.name, ' ') FROM records_caseperson cp "
        f"JOIN records_person p ON p.id = cp.person_id WHERE cp.case_id = c.id AND {test}), '')"
    )


def _identifiers(deceased: bool) -> str:
    test = _DECEASED_HOLDER if deceased else f"NOT {_DECEASED_HOLDER}"
    return (
        "coalesce((SELECT group_concat(i.value || ' ' || i.normalised, ' ') "
        f"FROM records_identifier i WHERE i.case_id = c.id AND {test}), '')"
    )


def source(open_paths: tuple[str, ...] = (), identity_paths: tuple[str, ...] = ()) -> str:
    """A case's row, from the tables (``c`` is the case); a later migration adds JSON paths of
    the case's state to the 'open' and 'identity' columns (0020: what a drugging report and an
    intelligence entry hold)."""
    return (
        "SELECT c.id, "
        + _joined("c.reference", "c.place_type", _j("toxicology.substances"), *map(_j, open_paths))
        + ", "
        + _joined(
            _j("location.address"),
            _j("first_account.given_by"),
            _names(False),
            _identifiers(False),
            *map(_j, identity_paths),
        )
        + ", "
        + _joined(
            "c.deceased_name",
            _j("deceased.home_address"),
            _j("circumstances"),
            _j("first_account.account"),
            _names(True),
            _identifiers(True),
        )
        + " FROM records_case c"
    )


SOURCE = source()


def _refresh(case_id: str, source: str) -> str:
    """Statements that rebuild the row of the case whose id is ``case_id`` (an expression)."""
    return (
        f"DELETE FROM vigil_search WHERE rowid = {case_id}; "
        f"INSERT INTO vigil_search(rowid, open, identity, victim) {source} "
        f"WHERE c.id = {case_id};"
    )


_PERSON_CASES = "(SELECT cp.case_id FROM records_caseperson cp WHERE cp.person_id = new.id)"


def triggers(source: str) -> dict[str, str]:
    """The triggers that keep each case's row current, as name -> body."""
    return {
        "vigil_search_case_insert": f"AFTER INSERT ON records_case BEGIN {_refresh('new.id', source)} END",
        "vigil_search_case_update": (
            "AFTER UPDATE OF reference, place_type, deceased_name, state ON records_case "
            f"BEGIN {_refresh('new.id', source)} END"
        ),
        "vigil_search_case_delete": (
            "AFTER DELETE ON records_case BEGIN DELETE FROM vigil_search WHERE rowid = old.id; END"
        ),
        "vigil_search_case_person_insert": (
            f"AFTER INSERT ON records_caseperson BEGIN {_refresh('new.case_id', source)} END"
        ),
        "vigil_search_case_person_update": (
            "AFTER UPDATE OF roles, person_id, case_id ON records_caseperson BEGIN "
            f"{_refresh('old.case_id', source)} {_refresh('new.case_id', source)} END"
        ),
        "vigil_search_case_person_delete": (
            f"AFTER DELETE ON records_caseperson BEGIN {_refresh('old.case_id', source)} END"
        ),
        "vigil_search_person_update": (
            "AFTER UPDATE OF name ON records_person BEGIN "
            f"DELETE FROM vigil_search WHERE rowid IN {_PERSON_CASES}; "
            f"INSERT INTO vigil_search(rowid, open, identity, victim) {source} "
            f"WHERE c.id IN {_PERSON_CASES}; END"
        ),
        "vigil_search_identifier_insert": (
            f"AFTER INSERT ON records_identifier BEGIN {_refresh('new.case_id', source)} END"
        ),
        "vigil_search_identifier_update": (
            "AFTER UPDATE OF value, normalised, case_id, person_id ON records_identifier BEGIN "
            f"{_refresh('old.case_id', source)} {_refresh('new.case_id', source)} END"
        ),
        "vigil_search_identifier_delete": (
            f"AFTER DELETE ON records_identifier BEGIN {_refresh('old.case_id', source)} END"
        ),
    }


TRIGGERS = triggers(SOURCE)


def install_sqlite(schema_editor: BaseDatabaseSchemaEditor, source: str = SOURCE) -> None:
    """(Re)create the FTS5 table and its triggers from ``source``, and index every stored
    case."""
    execute = schema_editor.execute
    uninstall_sqlite(schema_editor)
    execute(
        "CREATE VIRTUAL TABLE vigil_search USING fts5(open, identity, victim, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for name, body in triggers(source).items():
        execute(f"CREATE TRIGGER {name} {body}")
    execute(f"INSERT INTO vigil_search(rowid, open, identity, victim) {source}")


def uninstall_sqlite(schema_editor: BaseDatabaseSchemaEditor) -> None:
    execute = schema_editor.execute
    for name in TRIGGERS:
        execute(f"DROP TRIGGER IF EXISTS {name}")
    execute("DROP TABLE IF EXISTS vigil_search")


# --- PostgreSQL: GIN indexes on SearchVector expressions --------------------------------------


class JsonText(models.Func):
    """``state -> 'a' ->> 'b'``: a text value inside a JSON column, written with literal keys
    (no parameters) so that the index and the query compile to the same expression."""

    output_field = models.TextField()

    def __init__(self, column: str, *keys: str) -> None:
        if not all(k.replace("_", "").isalnum() for k in keys):
            raise ValueError(f"not a plain JSON key: {keys}")
        *path, last = keys
        steps = "".join(f" -> '{k}'" for k in path) + f" ->> '{last}'"
        super().__init__(models.F(column), template=f"(%(expressions)s{steps})")


def words(expression: models.Expression | str) -> models.Func:
    """The text with every run of non-word characters (and '_') turned into a space, so that
    PostgreSQL's parser splits e-mail addresses, references and phone numbers into words as
    SQLite's unicode61 tokenizer does."""
    source = models.F(expression) if isinstance(expression, str) else expression
    return models.Func(
        source,
        models.Value(r"[\W_]+"),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def vector(*expressions: models.Expression | str) -> SearchVector:
    return SearchVector(*(words(e) for e in expressions), config="simple")


# (model, index name, vector): each document kind of `vigil.services.readmodels.search`.
VECTORS: dict[tuple[str, str], Callable[[], SearchVector]] = {
    ("case", "vigil_search_case_open"): lambda: vector(
        "reference", "place_type", JsonText("state", "toxicology", "substances")
    ),
    ("case", "vigil_search_case_place"): lambda: vector(
        JsonText("state", "location", "address"), JsonText("state", "first_account", "given_by")
    ),
    ("case", "vigil_search_case_text"): lambda: vector(
        "deceased_name",
        JsonText("state", "deceased", "home_address"),
        JsonText("state", "circumstances"),
        JsonText("state", "first_account", "account"),
    ),
    ("person", "vigil_search_person"): lambda: vector("name"),
    ("identifier", "vigil_search_identifier"): lambda: vector("value", "normalised"),
}


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite(schema_editor)
    elif vendor == "postgresql":
        for (model_name, index_name), make in VECTORS.items():
            model = apps.get_model("records", model_name)
            schema_editor.add_index(model, GinIndex(make(), name=index_name))


def uninstall(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        uninstall_sqlite(schema_editor)
    elif vendor == "postgresql":
        for (model_name, index_name), make in VECTORS.items():
            model = apps.get_model("records", model_name)
            schema_editor.remove_index(model, GinIndex(make(), name=index_name))


class Migration(migrations.Migration):
    dependencies = [("records", "0005_restricted_cases")]
    operations = [migrations.RunPython(install, uninstall)]
