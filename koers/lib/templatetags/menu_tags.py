"""``{% main_menu %}``: the main menu's ``<li>`` items of ``base.html``, kept per process (issue #18).

The portal's menu and the professionals' menu are the same for every reader of that kind: a list
of ``{% url %}`` and ``{% translate %}`` tags, nothing of the user or the request besides the
language and the URL configuration. They are rendered from ``includes/main_menu.html`` once per
language, URL configuration, script prefix and current app, and kept; the relatives' menu carries
an unread count and is rendered on every request. The HTML is the template's own, byte for byte
(tests/test_template_caches.py compares both).
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

MENU = "includes/main_menu.html"
_menus: dict[tuple, str] = {}


def _branch(context) -> str | None:
    """Which kept list this page shows ("portal", "professional"), or None: render it each time."""
    if context.get("nav_area") == "portal":
        return "portal"
    user = context.get("user")
    if user is not None and getattr(user, "is_professional", False):
        return "professional"
    return None


def _render(context) -> str:
    """The menu template rendered in the page's own context, as ``{% include %}`` renders it."""
    menu = context.template.engine.get_template(MENU)
    with context.push():
        return menu.render(context)


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    branch = _branch(context)
    if branch is None:
        return mark_safe(_render(context))  # nosec B308, B703  # rendered and escaped by Django
    request = context.get("request")
    match = getattr(request, "resolver_match", None)  # {% url %}'s current app
    app = (getattr(request, "current_app", None), getattr(match, "namespace", None))
    key = (branch, translation.get_language(), get_urlconf(), get_script_prefix(), app)
    html = _menus.get(key)
    if html is None:
        html = _render(context)
        if len(_menus) >= 256:  # branches × languages × apps: far fewer in practice
            _menus.clear()
        _menus[key] = html
    return mark_safe(html)  # nosec B308, B703  # rendered and escaped by Django from the template


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "TEMPLATES", "LOCALE_PATHS"):
        _menus.clear()
