"""Linkage profiles changed shape (issue 11): every substance in one list, weighed by its
frequency when a pair is scored; the deceased's own identifiers and those written in free text
among the identifiers; first names. Their identifier keys get a table of their own (CaseKey),
for finding the cases that share one through an index.

Profiles are derived data: this clears them (and marks every case pending). Rebuild them from
the cases' facts with ``vigil model profiles``, then re-link with ``vigil link --all``.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from vigil.domain import limits


def clear_profiles(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Case = apps.get_model("records", "Case")
    Case.objects.exclude(profile={}).update(profile={}, link_pending=True)


class Migration(migrations.Migration):
    dependencies = [("records", "0009_link_pending")]

    operations = [
        migrations.CreateModel(
            name="CaseKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(db_index=True, max_length=limits.IDENTIFIER + 20)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="keys",
                        to="records.case",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("case", "key"), name="key_once_per_case")
                ]
            },
        ),
        migrations.RunPython(clear_profiles, migrations.RunPython.noop),
    ]
