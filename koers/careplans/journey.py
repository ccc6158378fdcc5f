"""Care-plan versions on the person's metro map (``koers.journey.registry``, issue #17)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.careplans.models import CarePlanVersion
from koers.journey import registry


def _url(version: CarePlanVersion, person_id: int, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("careplans:version", args=[person_id, version.number])
    if audience == registry.PORTAL:
        return reverse("careplans:portal_version", args=[version.number])
    return reverse("workspace:relative_plan", args=[person_id])


def gather(person, audience, categories):
    versions = CarePlanVersion.objects.filter(care_plan__person=person).select_related("created_by__organisation")
    for version in versions:
        if version.agreed_at:
            title = _("Zorgplan versie %(number)s, samen afgesproken")
        else:
            title = _("Zorgplan versie %(number)s")
        yield registry.Event(
            when=version.created_at,
            kind=registry.PLAN_VERSION,
            line=registry.organisation_line(version.created_by.organisation),
            title=title % {"number": version.number},
            url=_url(version, person.pk, audience),
        )


def register() -> None:
    registry.register(registry.Provider("careplan_versions", str(access.Category.CAREPLAN), gather))
