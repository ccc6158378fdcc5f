"""Yearly evaluations on the person's metro map (``koers.journey.registry``, issue #17)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.followup.models import YearlyEvaluation
from koers.journey import registry


def _url(person_id: int, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("followup:evaluation", args=[person_id])
    if audience == registry.PORTAL:
        return reverse("followup:portal_evaluation")
    return reverse("workspace:relative_plan", args=[person_id])


def gather(person, audience, categories):
    evaluations = YearlyEvaluation.objects.filter(person=person).select_related("recorded_by__organisation")
    for evaluation in evaluations:
        yield registry.Event(
            when=registry.at_noon(evaluation.date),
            kind=registry.EVALUATION,
            line=registry.organisation_line(evaluation.recorded_by.organisation),
            title=_("Jaarlijkse evaluatie van het zorgplan"),
            url=_url(person.pk, audience),
        )


def register() -> None:
    registry.register(registry.Provider("yearly_evaluations", str(access.Category.CAREPLAN), gather))
