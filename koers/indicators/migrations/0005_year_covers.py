"""The spans of agreed care plans, yearly evaluations and screenings kept per person (issue #16),
filled for the rows already there.

The backfill runs the current rules (``koers.indicators.covers.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers indicator_cohorts check`` / ``refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.indicators import covers

    covers.refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0004_goal_points'),
        ('people', '0009_profile_smi_index'),
        ('careplans', '0007_agreed_versions_index'),
        ('followup', '0004_relativeevaluationinput_relativenote'),
        ('screening', '0002_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='YearCover',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fact', models.SmallIntegerField(choices=[(0, 'Plan'), (1, 'Evaluation'), (2, 'Screening')])),
                ('started_on', models.DateField()),
                ('ended_on', models.DateField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['person'], name='yearcover_person')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
