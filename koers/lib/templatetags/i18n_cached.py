"""Django's ``i18n`` tag library, with ``{% translate "a literal" %}`` looked up once per process.

Registered under the name ``i18n`` in settings.TEMPLATES (``libraries``), so every
``{% load i18n %}`` gets it: all of Django's tags and filters unchanged, except that a
``{% translate %}`` of a plain literal (no filters, no ``context``) keeps its rendered text per
language. Such a tag's output depends on nothing but the active language and the message
catalogs, which do not change while a process runs; Django's own tag resolves the literal, makes
a lazy string, looks it up through the catalog chain and escapes the result on every render
(about a hundred times per care plan page, ~15 % of its CPU: docs/performance.md, "The person
pages' templates"). The text is the same object Django's tag returns (a safe string, percent
signs restored), so the HTML is byte for byte the same. Person data never passes through here:
only literals written in the templates.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils.safestring import SafeData, mark_safe

from koers.lib import template_state

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# (language, autoescape, noop, literal) → the rendered text. Bounded by the templates' literals
# times the languages; cleared when a test changes the languages or the catalogs' paths.
_RENDERED: dict[tuple, str] = {}


class CachedTranslateNode(django_i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        literal = getattr(var, "literal", None)
        plain = not self.filter_expression.filters and message_context is None and isinstance(literal, str)
        self._literal = literal if plain else None

    def render(self, context):
        if self._literal is None:
            return super().render(context)
        key = (template_state.language(context), context.autoescape, self.noop, self._literal)
        value = _RENDERED.get(key)
        if value is None:
            value = _RENDERED[key] = self._text(context)

        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _text(self, context) -> str:
        """What Django's ``TranslateNode.render`` makes of the literal, without touching the node's
        ``asvar``: the node is shared by every thread that renders this template."""
        self.filter_expression.var.translate = not self.noop  # as Django's own render sets it
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")  # percent signs are doubled in template text
        return mark_safe(value) if is_safe else value  # nosec B308, B703  # safe only when Django's value was


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return CachedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


class LanguageNode(django_i18n.LanguageNode):
    """Django's ``{% language %}``: its block renders in another language, so the language kept for
    this render (``koers.lib.template_state``) is looked up again inside it and put back after it."""

    def render(self, context):
        kept = template_state.forget(context)
        try:
            return super().render(context)
        finally:
            template_state.restore(context, kept)


@register.tag("language")
def language(parser, token):
    node = django_i18n.language(parser, token)
    return LanguageNode(node.nodelist, node.language)


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _RENDERED.clear()
