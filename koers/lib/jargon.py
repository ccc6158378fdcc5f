"""Statistics words on the professional's pages, explained where they are used.

Professional pages keep the statistics (Kendall τ, p, SD, lag, NAP, RCI …) but every such word
is a link to its explanation in a glossary at the bottom of the same page
(``templates/includes/jargon.html``): the explanation shows on hover (``title``), and with the
keyboard the link is reached with Tab and followed with Enter — a tooltip alone would be mouse
only (WCAG 2.1.1, 1.4.13). The person's own pages use none of these words (``explain_person``).

``term(key)`` → the link (safe HTML) for a table heading or a sentence; ``glossary(keys)`` → the
entries the include renders as a definition list with ``<dfn id="begrip-…">``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

# key → (the word as it is shown, its explanation in plain words)
TERMS = {
    "kendall_tau": (
        "Kendall τ",
        _(
            "Kendalls tau (τ): hoe regelmatig een reeks stijgt of daalt, van −1 (daalt steeds) via 0 (geen "
            "richting) tot 1 (stijgt steeds)."
        ),
    ),
    "p": (
        "p",
        _(
            "p-waarde: de kans op een uitkomst als deze (of sterker) als er in werkelijkheid niets aan de hand "
            "is. Onder 0,05 heet het hier ‘duidelijk’. Bij meerdere toetsen tegelijk is p gecorrigeerd."
        ),
    ),
    "multiple_tests": (
        "Benjamini–Hochberg",
        _(
            "Correctie voor meerdere toetsen: wie veel toetsen tegelijk doet, vindt ook vaker iets bij toeval. "
            "Benjamini–Hochberg maakt elke p zo groter dat dit binnen de perken blijft."
        ),
    ),
    "sd": (
        "SD",
        _(
            "Standaarddeviatie (SD): hoe ver de waarden gemiddeld van hun gemiddelde af liggen; hier de gewone "
            "schommeling van dag tot dag."
        ),
    ),
    "lag": (
        "lag",
        _("Lag: de vertraging in dagen. Lag 1 vergelijkt een dag met de dag ervoor (‘gisteren → vandaag’)."),
    ),
    "autocorrelation": (
        _("autocorrelatie"),
        _(
            "Autocorrelatie (lag 1): hoe sterk een dag lijkt op de dag ervoor, van −1 tot 1. Als die stijgt, "
            "herstelt iemand trager van kleine schommelingen."
        ),
    ),
    "variance": (
        _("variantie"),
        _("Variantie: de grootte van de schommelingen (het kwadraat van de SD)."),
    ),
    "ci": (
        _("95%-interval"),
        _(
            "95%-betrouwbaarheidsinterval: de waarden die met de gegevens goed samengaan; de echte waarde ligt "
            "daar waarschijnlijk tussen. Hoe breder, hoe onzekerder."
        ),
    ),
    "null_band": (
        _("Bij toeval (90%)"),
        _(
            "Het gebied waarin 90% van de nagebootste stabiele reeksen valt: wat er ook zonder echte "
            "verandering te zien is."
        ),
    ),
    "nap": (
        "NAP",
        _(
            "NAP (non-overlap of all pairs): het deel van de paren (een dag ervoor, een dag erna) waarin de dag "
            "erna hoger is. 50% betekent: geen verschil."
        ),
    ),
    "theil_sen": (
        "Theil–Sen",
        _(
            "Theil–Sen: een trendlijn die weinig last heeft van uitschieters (de middelste van alle hellingen "
            "tussen twee dagen)."
        ),
    ),
    "rci": (
        "RCI",
        _(
            "RCI (betrouwbare-veranderingsindex, Jacobson en Truax): het verschil tussen twee scores gedeeld "
            "door de meetfout. Groter dan 1,96 (of kleiner dan −1,96) is een betrouwbare verandering."
        ),
    ),
}


def anchor(key: str) -> str:
    return "begrip-" + key.replace("_", "-")


def term(key: str, text: str | None = None) -> SafeString:
    """The word as a link to its explanation (``text`` instead of the word, e.g. "p (gecorrigeerd)")."""
    word, explanation = TERMS[key]
    return format_html('<a class="term" href="#{}" title="{}">{}</a>', anchor(key), explanation, text if text else word)


def glossary(keys: Iterable[str]) -> list[dict]:
    """The entries for ``includes/jargon.html``, in the order given, each once."""
    seen: list[str] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
    return [{"id": anchor(key), "word": TERMS[key][0], "explanation": TERMS[key][1]} for key in seen]
