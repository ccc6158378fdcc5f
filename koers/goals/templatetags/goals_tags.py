"""Small display helpers for goal pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def signed(value):
    """A GAS level with its sign: +2, +1, 0, -1, -2 (so +1 and 1 are never confused)."""
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"+{number}" if number > 0 else str(number)


@register.filter
def level_text(levels, level):
    """What a GAS level means in the person's words, from ``{level: description}`` (keys may be
    numbers, or strings as in a care-plan snapshot). Empty when unknown."""
    if not levels or level is None or level == "":
        return ""
    try:
        number = int(level)
    except (TypeError, ValueError):
        return ""
    return levels.get(number) or levels.get(str(number)) or ""
