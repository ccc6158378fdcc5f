"""Small display helpers for goal pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

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


# A GAS level as the person reads it: words, not the professional's −2 … +2 (no codes on the
# person's pages). The person's own description of the level follows it.
GAS_LEVEL_WORDS = {
    -2: _("Veel minder dan verwacht"),
    -1: _("Minder dan verwacht"),
    0: _("Wat we verwachtten"),
    1: _("Meer dan verwacht"),
    2: _("Veel meer dan verwacht"),
}


@register.filter
def gas_words(value):
    """A GAS level (−2 … +2) in words for the person: "Meer dan verwacht"."""
    try:
        return GAS_LEVEL_WORDS[int(value)]
    except (TypeError, ValueError, KeyError):
        return ""
