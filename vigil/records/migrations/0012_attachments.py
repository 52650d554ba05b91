"""Attachments (vigil.services.casework.attachments): a new table of the files attached to cases, each
with its SHA-256 and the random name it is stored under outside the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0011_cluster_alerts")]

    operations = [
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("storage_name", models.CharField(max_length=100, unique=True)),
                ("uploaded_by", models.CharField(max_length=150)),
                ("uploaded_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attachments",
                        to="records.case",
                    ),
                ),
            ],
            options={"ordering": ["uploaded_at", "id"]},
        ),
    ]
