"""Template tags that ask the access layer, for navigation only (never to guard a page).

``{% may_open url person as ok %}``: whether the signed-in user would get the page at ``url``
about ``person``. The answer comes from the category the page's own view decorator names
(``koers_access``, see ``koers.access.decorators``), asked of ``categories_for`` for this
person, so a tab or link is shown exactly when its page would open. The page itself still
checks on the request; this only spares the reader links that end in "niet gevonden".
"""

from __future__ import annotations

from django import template
from django.urls import Resolver404, resolve

from koers.access import guard

register = template.Library()

_CACHE_ATTR = "_koers_tab_categories"


def _categories(request, person) -> frozenset:
    cache = getattr(request, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTR, cache)
    if person.pk not in cache:
        cache[person.pk] = guard.categories_for(request.user, person)
    return cache[person.pk]


@register.simple_tag(takes_context=True)
def may_open(context, url: str, person) -> bool:
    request = context.get("request")
    if request is None or not url or person is None:
        return bool(url)
    try:
        view = resolve(url).func
    except Resolver404:
        return False
    category = getattr(view, "koers_access", {}).get("category")
    if not category:
        return True
    return category in _categories(request, person)
