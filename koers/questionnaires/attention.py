"""Its part of the caseload's "needs attention" summary (registry ``koers.people.attention``):
worrying answers not yet handled, and when an active assignment becomes late (the rule of
``questionnaires.due.overdue_filter``, stored as the moment it starts to hold): a dated one the
day after its due date, a "before each consult" one once the first consult (not cancelled) after
its last completion (or the assignment) has passed."""

from __future__ import annotations

from django.db.models import Min

from koers.people import attention
from koers.questionnaires import due
from koers.questionnaires.models import Assignment, AttentionItem


def worrying(person_ids: list[int] | None) -> dict[int, dict]:
    qs = AttentionItem.objects.filter(handled_at__isnull=True)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return {pid: {"worrying_result": True} for pid in qs.order_by().values_list("person_id", flat=True).distinct()}


def late(person_ids: list[int] | None) -> dict[int, dict]:
    active = Assignment.objects.filter(status=Assignment.Status.ACTIVE).order_by()
    if person_ids is not None:
        active = active.filter(person_id__in=person_ids)
    values: dict[int, dict] = {}
    dated = (
        active.exclude(schedule=Assignment.Schedule.BEFORE_CONSULT)
        .filter(due_date__isnull=False)
        .values("person_id")
        .annotate(first=Min("due_date"))
        .values_list("person_id", "first")
    )
    for pid, first in dated:
        values.setdefault(pid, {})["questionnaire_due_on"] = first
    by_consult = (
        active.filter(schedule=Assignment.Schedule.BEFORE_CONSULT)
        .annotate(consult_at=due.next_consult_at())
        .filter(consult_at__isnull=False)
        .values_list("person_id", "consult_at")
    )
    for pid, consult_at in by_consult:
        current = values.setdefault(pid, {}).get("questionnaire_consult_at")
        if current is None or consult_at < current:
            values[pid]["questionnaire_consult_at"] = consult_at
    return values


def register() -> None:
    attention.register(
        attention.Source(
            key="worrying_result",
            models=("questionnaires.AttentionItem",),
            columns=("worrying_result",),
            compute=worrying,
        )
    )
    attention.register(
        attention.Source(
            key="questionnaire_late",
            models=("questionnaires.Assignment", "consults.Consult"),
            columns=("questionnaire_due_on", "questionnaire_consult_at"),
            compute=late,
        )
    )
