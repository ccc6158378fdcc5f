"""``{% main_menu %}``: the main menu's ``<li>`` items of ``base.html``, kept per process; and
``{% kept %}…{% endkept %}``: the parts of ``base.html`` around them kept the same way (issue #18).

The portal's menu and the professionals' menu are the same for every reader of that kind: a list
of ``{% url %}`` and ``{% translate %}`` tags, nothing of the user or the request besides the
language and the URL configuration. They are rendered from ``includes/main_menu.html`` once per
language, URL configuration, script prefix and current app, and kept; the relatives' menu carries
an unread count and is rendered on every request. The HTML is the template's own, byte for byte
(tests/test_template_caches.py compares both).

``{% kept %}`` does the same for a stretch of a template that depends on nothing but the kind of
reader (the same two kinds), the language and the URL configuration: ``base.html``'s head and
header without the CSRF tokens, the language form's ``next`` path, the blocks and the banners,
which stay outside it and are rendered on every request. Each ``{% kept %}`` keeps its own HTML
(on its node, so a template parsed again starts empty); for any other reader it renders each time.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe

from koers.lib import template_state

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


def _app(context) -> tuple:
    """``{% url %}``'s current app."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return (getattr(request, "current_app", None), getattr(match, "namespace", None))


def _key(context, branch: str, app: tuple | None = None) -> tuple:
    """What a kept piece of HTML may depend on besides the branch: the language and what
    ``{% url %}`` reverses with (URL configuration, script prefix, current ``app``: looked up
    when not given)."""
    return (branch, *template_state.state(context), app or _app(context), _generation)


_READER = object()  # the key of the reader's branch and app in a render's state


def _kept_key(context) -> tuple | None:
    """``_key`` for ``{% kept %}``, or None for a reader whose pieces are rendered each time; the
    branch and app worked out once per render (``base.html`` holds several pieces)."""
    reader = context.render_context.get(_READER)
    if reader is None:
        branch = _branch(context)
        if not getattr(context.get("user"), "is_authenticated", False):  # the pieces hold the signed-in header
            branch = None
        reader = context.render_context[_READER] = (branch, _app(context) if branch else None)
    if reader[0] is None:
        return None
    return _key(context, *reader)


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
    key = _key(context, branch)
    html = _menus.get(key)
    if html is None:
        html = _render(context)
        if len(_menus) >= 256:  # branches × languages × apps: far fewer in practice
            _menus.clear()
        _menus[key] = html
    return mark_safe(html)  # nosec B308, B703  # rendered and escaped by Django from the template


class KeptNode(template.Node):
    """A stretch of template rendered once per kind of reader and ``_key``, then kept (above).

    Its nodes are not searched by ``get_nodes_by_type`` (``child_nodelists`` empty): they hold no
    ``{% block %}`` (``kept`` refuses one), and Django's ``{% extends %}`` searches the whole of
    ``base.html`` for its blocks on every page it renders."""

    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.kept: dict[tuple, str] = {}

    def render(self, context) -> str:
        key = _kept_key(context)
        if key is None:
            return self.nodelist.render(context)
        html = self.kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.kept) >= 64:  # kinds × languages × apps: far fewer in practice
                self.kept.clear()
            self.kept[key] = html
        return html


@register.tag
def kept(parser, token):
    """``{% kept %}…{% endkept %}``: nothing inside may depend on the request, the user (besides
    the kind of reader) or the page; no ``{% block %}`` inside (a child's block would be kept)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% kept %} takes no arguments")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% kept %} cannot hold a {% block %}")
    return KeptNode(nodelist)


# Bumped when a setting the kept HTML depends on changes (tests): every kept piece is then stale.
_generation = 0


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    global _generation
    if setting in ("ROOT_URLCONF", "LANGUAGES", "TEMPLATES", "LOCALE_PATHS", "STATIC_URL", "STORAGES"):
        _menus.clear()
        _generation += 1
