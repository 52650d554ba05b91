"""Retrospective reviews (vigil.records.models.reviews): reviews of past deaths and the outcome
given each death. New tables only; outcomes append-only (triggers refuse UPDATE and DELETE)."""

import django.db.models.deletion
from django.db import migrations, models

from vigil.audit.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("records", "0016_panel")]

    operations = [
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=500)),
                ("selection", models.JSONField(default=dict)),
                (
                    "reviewers",
                    models.JSONField(default=list, help_text="The usernames who give outcomes."),
                ),
                ("panel_sits", models.BooleanField(default=False)),
                ("created_by", models.CharField(max_length=150)),
                ("created_at", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "relinked_at",
                    models.DateTimeField(
                        help_text="When its deaths were last re-linked with today's linkage.",
                        null=True,
                    ),
                ),
            ],
            options={"ordering": ["-created_at", "-id"]},
        ),
        migrations.CreateModel(
            name="ReviewOutcome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("outcome", models.CharField(max_length=20)),
                ("rationale", models.TextField()),
                ("detail", models.TextField(blank=True)),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review_outcomes",
                        to="records.case",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outcomes",
                        to="records.review",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "indexes": [
                    models.Index(fields=["review", "case"], name="records_rev_review__6a33eb_idx")
                ],
            },
        ),
        append_only("records_reviewoutcome"),
    ]
