"""The kept per-person row gets the catalogue keys of the person's active conditions
(``PersonFacts.condition_keys``): the page counts the conditions per code from it, in its one
grouping pass, instead of joining the population with ``people_condition`` (docs/performance.md).

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
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
