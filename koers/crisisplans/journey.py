"""The crisis plan on the person's metro map (``koers.journey.registry``, issue #17): when it was
made and last changed, and the signs a relative reported (on the relatives' line)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.crisisplans.models import CrisisPlan, SignReport
from koers.journey import registry


def _url(person_id: int, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("crisisplans:plan", args=[person_id])
    if audience == registry.PORTAL:
        return reverse("crisisplans:portal_plan")
    return reverse("workspace:relative_crisis_plan", args=[person_id])


def _line(user) -> registry.Line:
    return registry.organisation_line(getattr(user, "organisation", None))


def gather_plan(person, audience, categories):
    plan = CrisisPlan.objects.filter(person=person).select_related("updated_by__organisation").first()
    if plan is None:
        return
    url = _url(person.pk, audience)
    yield registry.Event(
        when=plan.created_at, kind=registry.CRISIS_PLAN, line=_line(None), title=_("Crisisplan gemaakt"), url=url
    )
    if (plan.updated_at - plan.created_at).total_seconds() > 60:
        yield registry.Event(
            when=plan.updated_at,
            kind=registry.CRISIS_PLAN,
            line=_line(plan.updated_by),
            title=_("Crisisplan veranderd"),
            url=url,
        )


def gather_reports(person, audience, categories):
    reports = SignReport.objects.filter(person=person, by_person=False, by_professional=False)
    for report in reports:
        yield registry.Event(
            when=report.created_at,
            kind=registry.CRISIS_PLAN,
            line=registry.Line(key=registry.RELATIVES, kind=registry.RELATIVES, name=""),
            title=_("Een naaste zag signalen"),
            url=_url(person.pk, audience),
        )


def register() -> None:
    registry.register(registry.Provider("crisis_plan", str(access.Category.CRISIS_PLAN), gather_plan))
    registry.register(registry.Provider("crisis_reports", str(access.Category.CRISIS_REPORTS), gather_reports))
