"""Print the export's JSON Schema, or the sections table of docs/export.md.

``python -m koers.exports.schema > docs/export-schema.json`` and
``python -m koers.exports.schema --table`` (paste between the markers in docs/export.md);
``tests/test_export_coverage.py`` fails when either is out of date.
"""

import json
import os
import sys

import django


def sections_table() -> str:
    """One row per section: file, title, category, fields (and what is left out)."""
    from django.utils import translation

    from koers.people import exports  # inside: this module sets Django up before the registry exists

    lines = [
        "| section (`sections/<key>.json`) | title | model | category | fields | left out |",
        "|---|---|---|---|---|---|",
    ]
    with translation.override("nl"):
        for s in exports.sections():
            fields = ", ".join(f.name for f in s.fields())
            omitted = ", ".join(sorted(s.omit)) or "—"
            lines.append(f"| `{s.key}` | {s.title} | {s.model._meta.label} | {s.category} | {fields} | {omitted} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")
    django.setup()
    from koers.exports.build import full_schema  # after setup: the registry is filled in ready()

    if "--table" in sys.argv:
        print(sections_table(), end="")
    else:
        print(json.dumps(full_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
