"""``{% explain "zorgplan" %}``: a link from a person-facing page to the word's entry on
"Woordenlijst" (``koers.lib.glossary``). A link, so it works with the keyboard and a screen
reader, never a tooltip alone. An unknown key is an error, so a typo cannot hide."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from koers.lib.glossary import BY_KEY

register = template.Library()


@register.simple_tag
def explain(key: str):
    word = BY_KEY[key]
    url = reverse("workspace:glossary") + "#" + word.anchor
    return format_html(
        '<a class="glossary-link" href="{}">{}</a>', url, _("Wat betekent ‘%(word)s’?") % {"word": word.word}
    )
