"""The questionnaire trajectories' kept series (issue #16), filled for every score already there.

The backfill runs the current rules (``koers.indicators.trajectories.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers indicator_cohorts check`` / ``refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.indicators import trajectories

    trajectories.refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0001_care_spells'),
        ('people', '0008_attention_summary'),
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='TrajectoryPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('instrument_id', models.CharField(max_length=64)),
                ('day', models.DateField()),
                ('next_day', models.DateField(null=True)),
                ('first_total', models.FloatField()),
                ('total', models.FloatField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['person'], name='trajectorypoint_person')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
