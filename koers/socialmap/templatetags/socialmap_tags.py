from django import template
from django.conf import settings

register = template.Library()


@register.filter
def cell(mapping, key):
    """``mapping[key]`` (a suppressed table's row or margin), None when missing."""
    return mapping.get(key) if mapping else None


@register.filter
def shown(value):
    """A suppressed count (None) is shown as "<k" (``KOERS_MIN_CELL``), never as a number."""
    return f"<{settings.KOERS_MIN_CELL}" if value is None else value


@register.simple_tag
def min_cell():
    return settings.KOERS_MIN_CELL
