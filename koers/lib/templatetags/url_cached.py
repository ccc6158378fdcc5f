"""Django's ``{% url %}`` tag, through ``koers.lib.urls_cached.reverse_ints``.

Registered as a template builtin in settings.TEMPLATES (``builtins``), so it takes the place of
Django's own ``url`` tag everywhere: the same parsing (Django's ``url`` function builds the
node), the same rendering, only the reverse itself is looked up from a kept shape when every
argument is a whole number (docs/decisions.md, "The person pages' templates").
"""

from __future__ import annotations

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from koers.lib import template_state
from koers.lib.urls_cached import reverse_ints

register = template.Library()


class CachedURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_ints(view_name, args, current_app=current_app, where=template_state.state(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
