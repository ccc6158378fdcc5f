"""Template tags that ask the access layer, for navigation only (never to guard a page).

``{% may_open url person as ok %}``: whether the signed-in user would get the page at ``url``
about ``person``. The answer comes from the category the page's own view decorator names
(``koers_access``, see ``koers.access.decorators``), asked of ``categories_for`` for this
person, so a tab or link is shown exactly when its page would open. The page itself still
checks on the request; this only spares the reader links that end in "niet gevonden".
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from koers.access import guard
from koers.lib.urls_cached import reverse_ints

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


@lru_cache(maxsize=256)
def _category_of(urlconf, name: str) -> str | None:
    """The access category the page named ``name`` (taking a person's id) declares: its view
    decorator's ``koers_access``. The URL configuration does not change while a process runs, so
    this is looked up once per name (``None``: no such page, or a page that needs no category)."""
    try:
        view = resolve(reverse(name, args=[1], urlconf=urlconf), urlconf=urlconf).func
    except (NoReverseMatch, Resolver404):
        return None
    return getattr(view, "koers_access", {}).get("category") or ""


@register.simple_tag(takes_context=True)
def tab_url(context, name: str, person) -> str:
    """``{% tab_url 'goals:list' person as u %}``: the URL of the page ``name`` about ``person``
    when the signed-in user would get it, else "". The same answer as ``{% url %}`` followed by
    ``{% may_open %}``, without resolving the URL again on every request (the person tabs)."""
    try:
        url = reverse_ints(name, (person.pk,))  # reverse's answer, from a shape kept per process
    except NoReverseMatch:
        return ""
    category = _category_of(get_urlconf(), name)
    if category is None:
        return ""
    request = context.get("request")
    if not category or request is None:
        return url
    return url if category in _categories(request, person) else ""


# The person tabs (``includes/person_tab_list.html``) differ between two persons only in the
# person's id in their URLs, once the language, the current tab and the categories the reader may
# open are the same. They are rendered once per such key with a stand-in id (a number no person
# has, and that appears nowhere else in the tabs) that is then replaced by the person's id.
_TAB_LIST = "includes/person_tab_list.html"
_STAND_IN = 918_273_645_091_827
_tab_lists: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def person_tab_list(context, person, active) -> str:
    """``{% person_tab_list person active %}``: the person tabs' ``<li>`` items, exactly as
    ``includes/person_tab_list.html`` renders them for this reader and person. Which tabs show
    still comes from ``categories_for`` on every request; only the HTML is kept per process."""
    request = context.get("request")
    if request is None or person is None or person.pk is None:
        return get_template(_TAB_LIST).render({"person": person, "active": active})
    categories = _categories(request, person)
    match = getattr(request, "resolver_match", None)  # {% url %}'s current app
    app = (getattr(request, "current_app", None), getattr(match, "namespace", None))
    key = (translation.get_language(), get_urlconf(), get_script_prefix(), app, active, categories)
    html = _tab_lists.get(key)
    if html is None:
        stand_in = SimpleNamespace(pk=_STAND_IN)
        # What the tags ask of the request: tab_url the categories, {% url %} the current app.
        asked = SimpleNamespace(**{_CACHE_ATTR: {_STAND_IN: categories}, "resolver_match": match})
        if hasattr(request, "current_app"):
            asked.current_app = request.current_app
        html = get_template(_TAB_LIST).render({"person": stand_in, "active": active, "request": asked})
        if len(_tab_lists) >= 1024:  # languages × tabs × category sets: far fewer in practice
            _tab_lists.clear()
        _tab_lists[key] = html
    tabs = html.replace(str(_STAND_IN), str(int(person.pk)))
    return mark_safe(tabs)  # nosec B308, B703  # Django rendered and escaped it; digits replaced by digits


@receiver(setting_changed)
def _forget_categories(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests that swap the URL configuration
        _category_of.cache_clear()
    if setting in ("ROOT_URLCONF", "LANGUAGES", "TEMPLATES", "LOCALE_PATHS"):
        _tab_lists.clear()
