"""Turning snapshots and comparisons into words for people. No database access.

Snapshots store codes (``"health"``, ``"phone"``) and ISO dates; these helpers give the
labels in the current language, so a version reads the same whichever language it was
saved in. Labels, choices and formats come from the registered plan sections
(``koers.careplans.sections``).
"""

from __future__ import annotations

import datetime as dt

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers.careplans import sections as plan_sections

# (field, choices, language) → {code: label}. A field's labels depend only on the language and the message
# catalogs, which do not change while a process runs; building them took ~12 µs a label shown (a
# care plan shows about twenty: issue #18). Emptied when a test changes settings.
_LABELS: dict[tuple, dict] = {}


def choice_label(field: str, value) -> str:
    choices = plan_sections.choices().get(field)
    if choices is None or value in (None, ""):
        return "" if value is None else str(value)
    key = (field, choices, get_language())  # a section registered later brings its own choices
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {code: str(label) for code, label in choices.choices}
    return labels[value] if value in labels else str(value)


@receiver(setting_changed)
def _forget_labels(**kwargs):
    _LABELS.clear()


def parse_date(value):
    """An ISO date or date-time string from a snapshot as a date / aware datetime (or None)."""
    if not value or not isinstance(value, str):
        return None
    try:
        if "T" in value:
            parsed = dt.datetime.fromisoformat(value)
            return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def format_value(field: str, value, *, old: dict | None = None, new: dict | None = None) -> str:
    """A stored value in words: a choice's label, a date, or what the field's section formats
    it as (``PlanSection.formatters``; ``old`` and ``new`` are the two snapshots compared)."""
    if value is None or value == "" or value == {}:
        return _("(leeg)")
    if field in plan_sections.choices():
        return choice_label(field, value)
    if field in plan_sections.date_fields() or field in plan_sections.datetime_fields():
        parsed = parse_date(value)
        return date_format(parsed, "j-n-Y") if parsed else str(value)
    formatter = plan_sections.formatters().get(field)
    if formatter is not None:
        return formatter(value, old or {}, new or {})
    return str(value)


def _titles() -> dict:
    """Part name -> (title, title field) of every registered part."""
    return {part.name: (part.title, part.title_field) for _section, part in plan_sections.parts()}


def _title(titles: dict, name: str, item: dict) -> str:
    title, title_field = titles[name]
    return str(title) if title_field is None else str(item.get(title_field, ""))


def describe(result: dict, old: dict, new: dict) -> dict:
    """A comparison (``snapshot.compare``) as rows of text, per section, in display order.

    Each row: ``kind`` ("added", "removed", "changed"), ``title`` and, for changes, the
    fields with a label and the old and new value in words.
    """
    titles = _titles()
    labels = plan_sections.field_labels()
    sections = []
    for name, diff in result["sections"].items():
        rows = [{"kind": "added", "title": _title(titles, name, item), "fields": []} for item in diff["added"]]
        rows += [{"kind": "removed", "title": _title(titles, name, item), "fields": []} for item in diff["removed"]]
        for change in diff["changed"]:
            fields = [
                {
                    "label": str(labels.get(field, field)),
                    "old": format_value(field, before, old=old, new=new),
                    "new": format_value(field, after, old=old, new=new),
                }
                for field, (before, after) in change["fields"].items()
            ]
            rows.append({"kind": "changed", "title": _title(titles, name, change["item"]), "fields": fields})
        if rows:
            sections.append({"name": name, "title": str(titles[name][0]), "rows": rows})
    return {
        "sections": sections,
        "not_compared": [str(titles[name][0]) for name in result["not_compared"]],
    }
