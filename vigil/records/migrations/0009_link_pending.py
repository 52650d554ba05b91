"""Durable linking: a case whose facts changed is marked until its links are stored. Cases that
already have a linkage profile were linked when it was written; the rest are pending.

SQLite cannot add a NOT NULL column with a default without Django remaking the table, which
would break the search index's triggers on it (0006), so the column is added with plain
``ALTER TABLE ... ADD COLUMN`` on every database; the model state is the usual AddField."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

HELP = (
    "Set in the transaction that changes the case's facts, cleared in the one that stores its "
    "links: a crash in between leaves it for `vigil link --pending`."
)


def add_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    true = "1" if schema_editor.connection.vendor == "sqlite" else "true"
    schema_editor.execute(
        f"ALTER TABLE records_case ADD COLUMN link_pending boolean NOT NULL DEFAULT {true}"
    )
    schema_editor.execute(
        "CREATE INDEX records_case_link_pending_idx ON records_case (link_pending)"
    )


def mark_linked(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Case = apps.get_model("records", "Case")
    Case.objects.exclude(profile={}).update(link_pending=False)


def drop_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP INDEX records_case_link_pending_idx")
    schema_editor.execute("ALTER TABLE records_case DROP COLUMN link_pending")


class Migration(migrations.Migration):
    dependencies = [("records", "0008_person_scope")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name="case",
                    name="link_pending",
                    field=models.BooleanField(db_index=True, default=True, help_text=HELP),
                )
            ],
        ),
        migrations.RunPython(mark_linked, migrations.RunPython.noop),
    ]
