"""Template filters for showing a crisis plan from a care-plan snapshot (issue #13).

A snapshot stores the plan as plain data (phase codes, contacts without their ``tel:`` link), so
the care-plan pages, which include ``crisisplans/_plan_summary.html``, need these two. Pure.
"""

from __future__ import annotations

from django import template

from koers.crisisplans import phones
from koers.crisisplans.models import Phase

register = template.Library()


@register.filter
def tel_link(number) -> str:
    """``tel:`` URI of a phone number; empty when it cannot be dialled (see ``phones``)."""
    return phones.tel_link(str(number or ""))


@register.filter
def phase_label(code) -> str:
    """The phase's name in the person's words; the code itself when it is unknown."""
    try:
        return str(Phase(code).label)
    except ValueError:
        return str(code)
