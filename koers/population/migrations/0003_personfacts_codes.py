"""The kept per-person row gets the catalogue keys of the person's active conditions
(``PersonFacts.condition_keys``): the page counts the conditions per code from it, in its one
grouping pass, instead of joining the population with ``people_condition``; and the
characteristics become small integers (the position of the key in ``kept.KEYS``): they group at
about half the cost of text keys (docs/performance.md). The text columns are dropped and the
integer ones added (no cast can turn "unknown" into a position), then every row is computed again.

Filled by the current rule (``koers.population.kept.refresh_all``), as 0002 did: derived data.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from koers.population import kept

    kept.refresh_all()
    if schema_editor.connection.vendor == "postgresql":  # statistics for the page's first plans
        schema_editor.execute("ANALYZE population_personfacts")


class Migration(migrations.Migration):

    dependencies = [
        ("population", "0002_person_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="personfacts",
            name="condition_keys",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RemoveField(model_name="personfacts", name="self_management_capacity"),
        migrations.RemoveField(model_name="personfacts", name="severe_mental_illness"),
        migrations.RemoveField(model_name="personfacts", name="smoking"),
        migrations.RemoveField(model_name="personfacts", name="health_literacy"),
        migrations.RemoveField(model_name="personfacts", name="digital_skills"),
        migrations.RemoveField(model_name="personfacts", name="social_network"),
        migrations.RemoveField(model_name="personfacts", name="living_situation"),
        migrations.RemoveField(model_name="personfacts", name="daytime_activity"),
        migrations.RemoveField(model_name="personfacts", name="money_worries"),
        migrations.RemoveField(model_name="personfacts", name="prefers_individual"),
        migrations.RemoveField(model_name="personfacts", name="prefers_group"),
        migrations.RemoveField(model_name="personfacts", name="prefers_online"),
        migrations.AddField(model_name="personfacts", name="self_management_capacity", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="severe_mental_illness", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="smoking", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="health_literacy", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="digital_skills", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="social_network", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="living_situation", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="daytime_activity", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="money_worries", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="prefers_individual", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="prefers_group", field=models.SmallIntegerField(null=True)),
        migrations.AddField(model_name="personfacts", name="prefers_online", field=models.SmallIntegerField(null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
