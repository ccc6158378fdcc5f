"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``):
a preparation handed in for a planned consult (or for none yet)."""

from __future__ import annotations

from django.db.models import Q

from koers.consults.models import Consult, Preparation
from koers.people import attention


def new_preparations():
    """Handed-in preparations still to be read: the consult they are for is planned, or there is none."""
    return Preparation.objects.filter(status=Preparation.Status.SUBMITTED).filter(
        Q(consult__isnull=True) | Q(consult__status=Consult.Status.PLANNED)
    )


def compute(person_ids: list[int] | None) -> dict[int, dict]:
    qs = new_preparations()
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return {pid: {"new_preparation": True} for pid in qs.order_by().values_list("person_id", flat=True).distinct()}


def register() -> None:
    attention.register(
        attention.Source(
            key="new_preparation",
            models=("consults.Preparation", "consults.Consult"),
            columns=("new_preparation",),
            compute=compute,
        )
    )
