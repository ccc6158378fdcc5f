from django import template
from django.conf import settings

from koers.lib import suppression

register = template.Library()


@register.filter
def cell(mapping, key):
    """``mapping[key]`` (a suppressed table's row or margin), None when missing."""
    return mapping.get(key) if mapping else None


@register.filter
def shown(value):
    """A suppressed count (None) is shown by its mark (``koers.lib.suppression.cell_text``)."""
    return suppression.cell_text(value, settings.KOERS_MIN_CELL) if value is None else value


@register.simple_tag
def min_cell():
    return settings.KOERS_MIN_CELL
