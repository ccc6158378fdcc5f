"""Give the change notes of stored versions the plan section they belong to (issue #13).

Since this change a version's change note (``CarePlanVersion.changes``) names the plan section it
belongs to when that section has an access category of its own (``"section": "crisis_plan"``), so
a reader who may not read the section does not see its note either. Older notes get it here
where their msgid says it for certain. Until now only the crisis plan wrote such notes
(``crisisplans.services``: "Crisisplan gewijzigd: %(part)s"); the health situation wrote none.
Every other note (goals, decisions, follow-up, care team, network, sign-off, free text
``{"text": ...}``) belongs to no restricted section and stays as it is: shown to everyone who reads
the plan. The msgids are copied here, not imported: a migration keeps meaning what it meant.
"""

from django.db import migrations

# msgid -> section key, frozen at the time of this migration.
SECTION_OF_MSGID = {"Crisisplan gewijzigd: %(part)s": "crisis_plan"}


def backfill_sections(apps, schema_editor):
    Version = apps.get_model("careplans", "CarePlanVersion")
    for version in Version.objects.only("pk", "changes").iterator():
        changes, touched = [], False
        for entry in version.changes or []:
            section = SECTION_OF_MSGID.get(entry.get("msgid")) if isinstance(entry, dict) else None
            if section and entry.get("section") != section:
                entry, touched = {**entry, "section": section}, True
            changes.append(entry)
        if touched:
            Version.objects.filter(pk=version.pk).update(changes=changes)


def forget_sections(apps, schema_editor):
    Version = apps.get_model("careplans", "CarePlanVersion")
    for version in Version.objects.only("pk", "changes").iterator():
        if any(isinstance(e, dict) and "section" in e for e in version.changes or []):
            changes = [
                {k: v for k, v in e.items() if k != "section"} if isinstance(e, dict) else e for e in version.changes
            ]
            Version.objects.filter(pk=version.pk).update(changes=changes)


class Migration(migrations.Migration):
    dependencies = [("careplans", "0004_person_signoff")]

    operations = [migrations.RunPython(backfill_sections, forget_sections)]
