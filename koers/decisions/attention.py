"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``):
the earliest day a decision's time to think ends (the decision waits from that day on)."""

from __future__ import annotations

from django.db.models import Min

from koers.decisions.models import SharedDecision
from koers.people import attention


def compute(person_ids: list[int] | None) -> dict[int, dict]:
    qs = SharedDecision.objects.filter(status=SharedDecision.Status.THINKING, think_until__isnull=False)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    rows = qs.order_by().values("person_id").annotate(first=Min("think_until")).values_list("person_id", "first")
    return {pid: {"decision_waiting_on": first} for pid, first in rows}


def register() -> None:
    attention.register(
        attention.Source(
            key="decision_waiting",
            models=("decisions.SharedDecision",),
            columns=("decision_waiting_on",),
            compute=compute,
        )
    )
