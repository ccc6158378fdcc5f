"""The follow-up rhythm's kept spans (issue #16), filled for every follow-up agreement already there.

The backfill runs the current rules (``koers.indicators.rhythm.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers indicator_cohorts check`` / ``refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.indicators import rhythm

    rhythm.refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_trajectory_points'),
        ('people', '0008_attention_summary'),
        ('careplans', '0005_change_sections'),
    ]

    operations = [
        migrations.CreateModel(
            name='FollowUpSpan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_on', models.DateField()),
                ('ended_on', models.DateField(null=True)),
                ('earliest', models.DateField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['person'], name='followupspan_person')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
