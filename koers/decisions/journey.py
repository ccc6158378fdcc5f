"""Shared decisions on the person's metro map (``koers.journey.registry``, issue #17)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.decisions.models import SharedDecision
from koers.journey import registry


def _url(decision: SharedDecision, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("decisions:detail", args=[decision.person_id, decision.pk])
    if audience == registry.PORTAL:
        return reverse("decisions:portal_detail", args=[decision.pk])
    return reverse("workspace:relative_decisions", args=[decision.person_id])


def gather(person, audience, categories):
    decisions = (
        SharedDecision.objects.filter(person=person)
        .exclude(status=SharedDecision.Status.WITHDRAWN)
        .select_related("created_by__organisation")
    )
    for decision in decisions:
        decided = decision.status == SharedDecision.Status.DECIDED and decision.decided_at
        yield registry.Event(
            when=decision.decided_at if decided else decision.created_at,
            kind=registry.DECISION,
            line=registry.organisation_line(decision.created_by.organisation),
            title=(_("Besluit: %(question)s") if decided else _("Samen kiezen: %(question)s"))
            % {"question": decision.question},
            url=_url(decision, audience),
        )


def register() -> None:
    registry.register(registry.Provider("decisions", str(access.Category.DECISION_RECORDS), gather))
