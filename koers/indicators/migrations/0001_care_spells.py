"""The indicators' kept cohorts (issue #16), filled for every care-team membership already there.

The backfill runs the current rules (``koers.indicators.cohorts.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers indicator_cohorts check`` / ``refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.indicators import cohorts

    cohorts.refresh_all()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0006_activation_code'),
        ('people', '0008_attention_summary'),
        ('network', '0008_research_consent'),
    ]

    operations = [
        migrations.CreateModel(
            name='CareSpell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.SmallIntegerField(choices=[(0, 'Organisation'), (1, 'Team')])),
                ('unit_id', models.IntegerField()),
                ('started_on', models.DateField()),
                ('ended_on', models.DateField(null=True)),
                ('first_on', models.DateField()),
                ('previous_end', models.DateField(null=True)),
                ('at_end', models.BooleanField()),
                ('in_period', models.BooleanField()),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['organisation', 'kind', 'unit_id'], name='carespell_unit'), models.Index(fields=['person'], name='carespell_person')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
