"""The caseload's kept "needs attention" summary (issue #18), filled for everyone already there.

The backfill runs the apps' current rules (``koers.people.attention.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers attention --check`` / ``--refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.people import attention

    attention.refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_person_postcode_area"),
        ("consults", "0005_agenda_item_about_a_chart"),
        ("goals", "0002_goal_gas_baseline"),
        ("decisions", "0005_person_confirmation"),
        ("questionnaires", "0001_initial"),
        ("monitoring", "0003_drop_duplicate_observation_index"),
        ("screening", "0002_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttentionSummary",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="attention_summary",
                        serialize=False,
                        to="people.person",
                    ),
                ),
                ("new_preparation", models.BooleanField(default=False)),
                ("goals_proposed", models.BooleanField(default=False)),
                ("worrying_result", models.BooleanField(default=False)),
                ("action_review_on", models.DateField(null=True)),
                ("decision_waiting_on", models.DateField(null=True)),
                ("questionnaire_due_on", models.DateField(null=True)),
                ("questionnaire_consult_at", models.DateTimeField(null=True)),
                ("outside_target_at", models.DateTimeField(null=True)),
                ("screening_due_on", models.DateField(null=True)),
                ("refreshed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
