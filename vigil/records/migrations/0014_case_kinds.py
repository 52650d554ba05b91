"""Records other than deaths (vigil.domain.kinds): the kind of each case, a column added with
the default 'death' (every case stored before is one), indexed for the lists' filter.

SQLite cannot add a NOT NULL column with a default without Django remaking the table, which
would break the search index's triggers on it (0006), so the column is added with plain
``ALTER TABLE ... ADD COLUMN`` on every database (as 0009 does); the model state is the usual
AddField."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def add_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        "ALTER TABLE records_case ADD COLUMN kind varchar(20) NOT NULL DEFAULT 'death'"
    )
    schema_editor.execute("CREATE INDEX records_case_kind_idx ON records_case (kind)")


def drop_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP INDEX records_case_kind_idx")
    schema_editor.execute("ALTER TABLE records_case DROP COLUMN kind")


class Migration(migrations.Migration):
    dependencies = [("records", "0013_portal")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name="case",
                    name="kind",
                    field=models.CharField(db_index=True, default="death", max_length=20),
                )
            ],
        ),
    ]
