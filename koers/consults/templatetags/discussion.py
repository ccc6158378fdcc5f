"""``{% discussed item as found %}``: the chart a "bespreek dit" agenda item is about, for the
user viewing the agenda (see koers.consults.discussion.shown)."""

from __future__ import annotations

from django import template

from koers.consults import discussion

register = template.Library()


@register.simple_tag(takes_context=True)
def discussed(context, item, portal=False):
    request = context.get("request")
    person = context.get("person")
    if request is None or person is None or not item.about_kind:
        return None
    return discussion.shown(request.user, person, item, portal=bool(portal))
