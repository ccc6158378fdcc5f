"""Goal attainment's and the GAS reviews' kept rows (issue #16), filled for the goals already there.

The backfill runs the current rules (``koers.indicators.goalpoints.refresh_all``), not historical
models: it is derived data, and it runs after the latest migrations of the apps whose rows it
reads. ``koers indicator_cohorts check`` / ``refresh`` do the same at any time.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.indicators import goalpoints

    goalpoints.refresh_all()


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_follow_up_spans'),
        ('people', '0008_attention_summary'),
        ('goals', '0003_goalversion'),
    ]

    operations = [
        migrations.CreateModel(
            name='GasReviewPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('next_day', models.DateField(null=True)),
                ('weight', models.PositiveSmallIntegerField()),
                ('level', models.SmallIntegerField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['person'], name='gasreviewpoint_person')],
            },
        ),
        migrations.CreateModel(
            name='GoalDecisionPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('next_day', models.DateField(null=True)),
                ('achieved', models.BooleanField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['person'], name='goaldecisionpoint_person')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
