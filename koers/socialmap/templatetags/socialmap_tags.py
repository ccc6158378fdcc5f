from django import template

register = template.Library()


@register.filter
def cell(mapping, key):
    """``mapping[key]`` (a suppressed table's row or margin), None when missing."""
    return mapping.get(key) if mapping else None


@register.filter
def shown(value):
    """A suppressed count (None) is shown as "<10", never as a number."""
    return "<10" if value is None else value
