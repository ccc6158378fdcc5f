"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``): the
latest self-measurement outside a target range the person agreed to have signalled
(``Target.signal_target``; without that agreement a value is shown on the person's pages, not
flagged). The caseload flags it while that moment is within ``attention.OUTSIDE_TARGET_DAYS``."""

from __future__ import annotations

from django.db.models import Exists, Max, OuterRef, Q

from koers.monitoring.models import Observation, Target
from koers.people import attention


def outside_signalled_target():
    """Self-measurements outside a target range the person agreed to have signalled."""
    breaks = Target.objects.filter(person=OuterRef("person"), type=OuterRef("type"), signal_target=True).filter(
        Q(low__isnull=False, low__gt=OuterRef("value")) | Q(high__isnull=False, high__lt=OuterRef("value"))
    )
    return Observation.objects.filter(Exists(breaks))


def compute(person_ids: list[int] | None) -> dict[int, dict]:
    qs = outside_signalled_target()
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    else:  # everyone: only persons with a signalled target can have one
        qs = qs.filter(person_id__in=Target.objects.filter(signal_target=True).values("person_id"))
    rows = qs.order_by().values("person_id").annotate(last=Max("effective_at")).values_list("person_id", "last")
    return {pid: {"outside_target_at": last} for pid, last in rows}


def register() -> None:
    attention.register(
        attention.Source(
            key="outside_target",
            models=("monitoring.Observation", "monitoring.Target"),
            columns=("outside_target_at",),
            compute=compute,
        )
    )
