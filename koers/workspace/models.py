from django.db import models

from koers.lib.kept_html import KeptHtml
from koers.people.models import Person


class KeptOverview(KeptHtml):
    """The person overview's cards as HTML, rendered once per content, language and set of parts
    shown (``workspace.kept_overview``; issue #18, "Speed"): derived, never edited, and found only
    by the digest of what it was rendered from, so the overview never shows older data. One row
    per person and ``variant`` (the language and the parts left out for the reader); each render
    that finds none or another digest replaces it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "kept person overview"
        constraints = [models.UniqueConstraint(fields=["person", "variant"], name="workspace_kept_overview_unique")]
