"""The independent advisory panel's review (vigil.records.models.panel): referrals of a case or
a series to the panel, the cases each puts before it, the panel's advice and the answers to
it. New tables only, each append-only (triggers refuse UPDATE and DELETE)."""

import django.db.models.deletion
from django.db import migrations, models

from vigil.audit.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("records", "0015_units")]

    operations = [
        migrations.CreateModel(
            name="PanelReferral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("case", "A case"), ("series", "A series")], max_length=10
                    ),
                ),
                ("reference", models.CharField(max_length=64)),
                ("question", models.TextField()),
                ("referred_by", models.CharField(max_length=150)),
                ("referred_at", models.DateTimeField()),
                ("panel_member", models.CharField(blank=True, max_length=150)),
                ("answer_due", models.DateTimeField(db_index=True)),
            ],
            options={"ordering": ["referred_at", "id"]},
        ),
        migrations.CreateModel(
            name="PanelReferralCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="panel_referrals",
                        to="records.case",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="records.panelreferral",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("referral", "case"), name="panel_case_once")
                ]
            },
        ),
        migrations.CreateModel(
            name="PanelAdvice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("answer_due", models.DateTimeField(db_index=True)),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="advice",
                        to="records.panelreferral",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        migrations.CreateModel(
            name="AdviceAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("accepted", models.BooleanField()),
                ("reason", models.TextField()),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                (
                    "advice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="records.paneladvice",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        append_only("records_panelreferral"),
        append_only("records_panelreferralcase"),
        append_only("records_paneladvice"),
        append_only("records_adviceanswer"),
    ]
