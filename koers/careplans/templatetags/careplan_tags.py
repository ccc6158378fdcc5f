"""Filters for rendering care-plan snapshots: codes as words, ISO dates as dates."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.careplans import kept_page
from koers.careplans.presentation import choice_label, parse_date

register = template.Library()

GROUP_TITLES = {
    "professional": {
        "person": _("De cliënt zelf"),
        "professional": _("Zorgverleners"),
        "relative": _("Naasten"),
        "community": _("Voorzieningen in de wijk"),
    },
    "portal": {
        "person": _("Wat ik ga doen"),
        "professional": _("Wat mijn zorgverleners doen"),
        "relative": _("Wat mijn naasten doen"),
        "community": _("Hulp uit de buurt"),
    },
}


@register.filter
def label(value, field):
    """``{{ goal.life_domain|label:"life_domain" }}`` → "Gezondheid"."""
    return choice_label(field, value)


@register.filter
def with_csrf_token(html, token):
    """``{{ plan_html|with_csrf_token:csrf_token }}``: the kept plan part (``careplans.kept_page``)
    with the page's CSRF token in its forms."""
    return kept_page.with_token(html, token)


@register.filter
def as_date(value):
    """``{{ action.review_date|as_date|date:"j F Y" }}``: a snapshot's ISO string as a date."""
    return parse_date(value)


@register.filter
def group_title(responsible, audience="professional"):
    titles = GROUP_TITLES.get(audience, GROUP_TITLES["professional"])
    return titles.get(responsible, choice_label("responsible", responsible))


AID_USE = {
    "used": _("Keuzehulp gebruikt"),
    "not_used": _("Keuzehulp aangeboden, niet gebruikt"),
}


@register.simple_tag
def decision_aid(aid) -> str:
    """``{% decision_aid goal.decision_aid %}``: the decision aid (keuzehulp) of a decision, or of
    the decision a goal came from (``aid`` from a snapshot), as one line, or nothing. One tag for
    both places in ``careplans/_plan.html`` (an ``{% include %}`` per goal cost more than its text;
    issue #18)."""
    if not aid:
        return ""
    use = aid.get("use")
    shown = format_html(" · {}", AID_USE.get(use, _("Keuzehulp aangeboden"))) if use else ""
    return format_html(
        '<p class="meta">{} <a href="{}" rel="noopener noreferrer external">{}</a>{}</p>',
        gettext("Keuzehulp:"),
        aid.get("url", ""),
        aid.get("name", ""),
        shown,
    )
