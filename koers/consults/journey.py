"""Consults on the person's metro map (``koers.journey.registry``, issue #17)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.consults.models import Consult
from koers.journey import registry


def _url(consult: Consult, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("consults:detail", args=[consult.person_id, consult.pk])
    if audience == registry.PORTAL:
        return reverse("consults:portal_prepare") if consult.status == Consult.Status.PLANNED else ""
    return reverse("workspace:relative_consults", args=[consult.person_id])


def gather(person, audience, categories):
    consults = (
        Consult.objects.filter(person=person)
        .exclude(status=Consult.Status.CANCELLED)
        .select_related("professional__organisation")
    )
    now = timezone.now()
    for consult in consults:
        planned = consult.status == Consult.Status.PLANNED and consult.scheduled_at >= now
        yield registry.Event(
            when=consult.scheduled_at,
            kind=registry.CONSULT,
            line=registry.organisation_line(consult.professional.organisation),
            title=_("Gesprek met %(name)s") % {"name": consult.professional.get_full_name() or _("uw zorgverlener")},
            url=_url(consult, audience),
            planned=planned,
        )


def register() -> None:
    registry.register(registry.Provider("consults", str(access.Category.CONSULT_RECORDS), gather))
