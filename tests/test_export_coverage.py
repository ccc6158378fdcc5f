"""Every model that holds a person's data is in the person's export, or left out with a reason.

Derived, not listed: the models pointing at a person (the admin test's derivation) and the
models pointing at those (a goal's GAS levels, a preparation's answers). A new model that holds
person data fails here until its app registers an export section (koers.people.exports).
"""

import json
from pathlib import Path

from django.apps import apps

from koers.exports import build
from koers.exports.schema import sections_table
from koers.people import exports
from tests.test_admin_scope import person_data_models

ROOT = Path(__file__).resolve().parents[1]


def models_holding_person_data() -> set:
    direct = set(person_data_models())
    below = {
        model
        for model in apps.get_models()
        if model.__module__.startswith("koers.")
        and any(f.concrete and getattr(f, "related_model", None) in direct for f in model._meta.get_fields())
    }
    return direct | below


def test_every_person_data_model_is_exported_or_excluded_with_a_reason():
    covered = {section.model for section in exports.sections()}
    excluded = exports.excluded()
    assert all(reason.strip() for reason in excluded.values())
    missing = sorted(
        m._meta.label for m in models_holding_person_data() if m not in covered and m._meta.label not in excluded
    )
    assert missing == [], f"Person data missing from the export: {missing}. Register an ExportSection."
    # Not vacuous: the derivation finds the indirect models too.
    labels = {m._meta.label for m in models_holding_person_data()}
    assert {"goals.GasLevel", "consults.SphereAnswer", "careplans.CarePlanVersion"} <= labels
    assert len(covered) >= 45


def test_the_schema_in_the_repository_is_the_generated_one():
    """docs/export-schema.json is generated from the registry: regenerate it with
    ``python -m koers.exports.schema > docs/export-schema.json`` when a section changes."""
    stored = json.loads((ROOT / "docs" / "export-schema.json").read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(build.full_schema()))


def test_the_documentation_lists_every_section_with_its_fields():
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    block = text.split("<!-- sections:start -->\n")[1].split("<!-- sections:end -->")[0]
    assert block == sections_table(), "docs/export.md is out of date: python -m koers.exports.schema --table"
