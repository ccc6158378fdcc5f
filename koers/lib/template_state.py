"""The active language, URL configuration and script prefix, looked up once per template render.

Each is a context-local (``asgiref.local.Local``) that costs ~3–4 µs to read, and the kept tags
read them on every render: a care plan page rendered ~70 ``{% translate %}`` literals, ~11
``{% url %}`` and six ``{% kept %}`` pieces, ~130 look-ups (~0.3 ms of its CPU; issue #18,
docs/performance.md). Nothing changes them while one template renders, except ``{% language %}``
(``i18n_cached`` gives it a node that looks them up again inside its block and puts the page's
back after it); a template rendered under ``translation.override`` (an e-mail in the
recipient's language) is a render of its own and looks them up itself.

They are kept in the template's render state (``context.render_context``): a template and the
templates it extends share one, an ``{% include %}`` has its own, and it ends with the render, so a
``Context`` rendered again later (in another language) looks them up again.
"""

from __future__ import annotations

from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

_LANGUAGE = object()  # keys in the render state: no template variable or node can be them
_WHERE = object()


def language(context) -> str | None:
    """``translation.get_language()``, looked up once per render."""
    found = context.render_context.get(_LANGUAGE)
    if found is None:
        found = context.render_context[_LANGUAGE] = get_language()
    return found


def state(context) -> tuple:
    """``(language, URL configuration, script prefix)`` of this render."""
    found = context.render_context.get(_WHERE)
    if found is None:
        found = context.render_context[_WHERE] = (language(context), get_urlconf(), get_script_prefix())
    return found


def forget(context) -> tuple:
    """Look everything up again from here on (``{% language %}`` switched the language); returns
    what was kept, for ``restore``."""
    kept = (context.render_context.get(_LANGUAGE), context.render_context.get(_WHERE))
    context.render_context[_LANGUAGE] = context.render_context[_WHERE] = None
    return kept


def restore(context, kept: tuple) -> None:
    context.render_context[_LANGUAGE], context.render_context[_WHERE] = kept
