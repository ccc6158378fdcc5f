"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``):
the earliest date of a planned screening not yet done (due from that day on, ``screening.due``)."""

from __future__ import annotations

from django.db.models import Min

from koers.people import attention
from koers.screening import due


def compute(person_ids: list[int] | None) -> dict[int, dict]:
    qs = due.screenings_open()
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    rows = qs.order_by().values("person_id").annotate(first=Min("due_date")).values_list("person_id", "first")
    return {pid: {"screening_due_on": first} for pid, first in rows}


def register() -> None:
    attention.register(
        attention.Source(
            key="screening_due", models=("screening.SomaticScreening",), columns=("screening_due_on",), compute=compute
        )
    )
