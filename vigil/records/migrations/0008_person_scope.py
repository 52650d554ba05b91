"""A person's ``ref`` is allocated by Vigil (``P-`` and twelve random hex digits); the ref a face
or an import file gave is kept as the person's ``external_ref`` on that case, where it still
names them (an import that names the same file ref twice, or comes again, finds the same
person through a case the importer may see). Existing persons keep their refs.

SQLite cannot add a NOT NULL column with a default without Django remaking the table, which
would break the search index's triggers on it (0006), so the column is added with plain
``ALTER TABLE ... ADD COLUMN`` on every database; the model state is the usual AddField."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

HELP = "The person's reference as the face or the import file gave it on this case."


def add_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        "ALTER TABLE records_caseperson ADD COLUMN external_ref varchar(100) NOT NULL DEFAULT ''"
    )
    schema_editor.execute(
        "CREATE INDEX records_caseperson_external_ref_idx ON records_caseperson (external_ref)"
    )


def drop_column(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP INDEX records_caseperson_external_ref_idx")
    schema_editor.execute("ALTER TABLE records_caseperson DROP COLUMN external_ref")


class Migration(migrations.Migration):
    dependencies = [("records", "0007_organisation_numbers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name="caseperson",
                    name="external_ref",
                    field=models.CharField(
                        blank=True, db_index=True, default="", help_text=HELP, max_length=100
                    ),
                )
            ],
        ),
    ]
