"""Cluster alerts (vigil.services.linkage.clusters): the deaths in each, and analysts' judgements on
them, which the database keeps append-only like judgements on links."""

import django.db.models.deletion
from django.db import migrations, models

from vigil.audit.appendonly import append_only


class Migration(migrations.Migration):
    # Chained after the current last migration so that the graph keeps one leaf.
    dependencies = [("records", "0010_profile_keys")]

    operations = [
        migrations.CreateModel(
            name="ClusterAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(default="scan", max_length=20)),
                ("profile", models.CharField(db_index=True, max_length=60)),
                ("latitude", models.FloatField()),
                ("longitude", models.FloatField()),
                ("radius_m", models.FloatField()),
                ("first_day", models.DateField()),
                ("last_day", models.DateField()),
                ("observed", models.PositiveIntegerField()),
                ("expected", models.FloatField(null=True)),
                (
                    "statistic",
                    models.FloatField(help_text="log generalised likelihood ratio", null=True),
                ),
                ("p", models.FloatField(null=True)),
                ("replicates", models.PositiveIntegerField(default=0)),
                ("explanation", models.TextField()),
                ("analyst", models.CharField(blank=True, db_index=True, max_length=150)),
                ("raised_at", models.DateTimeField(db_index=True)),
                ("answered", models.BooleanField(db_index=True, default=False)),
                (
                    "centre",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.case",
                    ),
                ),
            ],
            options={"ordering": ["-raised_at", "-id"]},
        ),
        migrations.CreateModel(
            name="ClusterCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="records.clusteralert",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="records.case",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("alert", "case"), name="case_once_per_cluster")
                ]
            },
        ),
        migrations.AddField(
            model_name="clusteralert",
            name="cases",
            field=models.ManyToManyField(
                related_name="cluster_alerts", through="records.ClusterCase", to="records.case"
            ),
        ),
        migrations.CreateModel(
            name="ClusterJudgement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("verdict", models.CharField(max_length=10)),
                ("reason", models.TextField()),
                ("by", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="judgements",
                        to="records.clusteralert",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        append_only("records_clusterjudgement"),
    ]
