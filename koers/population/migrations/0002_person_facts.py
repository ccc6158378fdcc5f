"""The population page's kept per-person row (``PersonFacts``), filled for everyone already there.

The backfill runs the current rule (``koers.population.kept.refresh_all``), not historical models:
it is derived data. ``koers personfacts check`` / ``refresh`` do the same at any time. Since the
rule writes a column this migration does not make (``condition_keys``, 0003), the rows are filled
by 0003 (the last migration of the table does it).
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Nothing: 0003 fills the rows with the current rule."""


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0008_attention_summary'),
        ('population', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonFacts',
            fields=[
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='people.person')),
                ('birth_date', models.DateField()),
                ('gender', models.CharField(max_length=10)),
                ('postcode_area', models.CharField(blank=True, default='', max_length=4)),
                ('active_conditions', models.PositiveSmallIntegerField(default=0)),
                ('level', models.CharField(blank=True, default='', max_length=20)),
                ('level_decided_at', models.DateTimeField(null=True)),
                ('previous_level', models.CharField(blank=True, default='', max_length=20)),
                ('previous_decided_at', models.DateTimeField(null=True)),
                ('self_management_capacity', models.CharField(max_length=12)),
                ('severe_mental_illness', models.CharField(max_length=7)),
                ('smoking', models.CharField(max_length=10)),
                ('health_literacy', models.CharField(max_length=12)),
                ('digital_skills', models.CharField(max_length=12)),
                ('social_network', models.CharField(max_length=12)),
                ('living_situation', models.CharField(max_length=12)),
                ('daytime_activity', models.CharField(max_length=12)),
                ('money_worries', models.CharField(max_length=7)),
                ('prefers_individual', models.CharField(max_length=7)),
                ('prefers_group', models.CharField(max_length=7)),
                ('prefers_online', models.CharField(max_length=7)),
            ],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
