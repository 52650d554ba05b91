"""Command units (vigil.records.models.units): a new table, and a nullable unit on cases and on
users' profiles (columns added, no table remade). Cases get their unit when units are loaded
(`vigil units load FILE`) or when they next change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0014_case_kinds"),
    ]

    operations = [
        migrations.CreateModel(
            name="Unit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, unique=True)),
                ("name", models.CharField(max_length=200)),
                (
                    "parent",
                    models.CharField(
                        blank=True,
                        help_text="The code of the unit above; '' for none.",
                        max_length=20,
                    ),
                ),
                (
                    "outline",
                    models.TextField(help_text="The boundary: a GeoJSON Polygon or MultiPolygon."),
                ),
                (
                    "position",
                    models.PositiveIntegerField(
                        help_text="Its place in the file: between two units equally deep that "
                        "both hold a point, the first wins."
                    ),
                ),
                (
                    "loaded_at",
                    models.DateTimeField(
                        help_text="When the file that gave it was loaded (the same on every unit "
                        "of one load)."
                    ),
                ),
            ],
            options={"ordering": ["position"]},
        ),
        migrations.AddField(
            model_name="case",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="The command unit: the one the report names (location.unit), else the "
                "one whose boundary holds the coordinates; null when neither gives one.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="records.unit",
                to_field="code",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="The command unit the user works in: their lists show its cases first.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="members",
                to="records.unit",
                to_field="code",
            ),
        ),
    ]
