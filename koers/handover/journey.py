"""Handover summaries on the person's metro map (``koers.journey.registry``, issue #17).

Each summary names the category of what it holds; one the reader may not read is left out.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.handover.models import HandoverSummary
from koers.journey import registry


def _url(summary: HandoverSummary, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("handover:summary", args=[summary.person_id, summary.pk])
    if audience == registry.PORTAL:
        return reverse("handover:portal_list")
    return ""


def gather(person, audience, categories):
    summaries = HandoverSummary.objects.filter(person=person).select_related("sender_organisation")
    for summary in summaries:
        if summary.category not in categories:
            continue
        yield registry.Event(
            when=summary.created_at,
            kind=registry.HANDOVER,
            line=registry.organisation_line(summary.sender_organisation),
            title=_("Bericht aan uw netwerk: %(what)s") % {"what": summary.get_kind_display()},
            url=_url(summary, audience),
        )


def register() -> None:
    registry.register(registry.Provider("handover_summaries", str(access.Category.DOCUMENTS), gather))
