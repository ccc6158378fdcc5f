"""The reminders questionnaires raises (registered with ``koers.notifications.sources`` in
``ready()``): a questionnaire waiting → the person; a worrying answer → the professional(s)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.network.models import CareTeamMember
from koers.notifications import sources, timing
from koers.notifications.models import Reason
from koers.notifications.sweeps import CHUNK, LOOKBACK, Due, window
from koers.notifications.texts import url
from koers.questionnaires import due
from koers.questionnaires.models import Assignment, AttentionItem

ASSIGNMENT = "questionnaires.Assignment"


def questionnaires_waiting(now: dt.datetime):
    """A questionnaire is due to be filled in → the person."""
    first, today = window(now)
    rows = (
        due.assignments_due(today, since=first)
        .filter(person__user__isnull=False, person__user__is_active=True)
        .values_list("pk", "person_id", "person__user_id", "due_date")
    )
    for pk, person_id, user_id, day in rows.iterator(chunk_size=CHUNK):
        at = timing.due_instant(day)
        if at <= now:
            yield Due(user_id, person_id, Reason.QUESTIONNAIRE_WAITING, ASSIGNMENT, pk, at, at)
    # "Before each consult" has no due date of its own: it opens a week before the next consult.
    waiting = Assignment.objects.filter(person__user__isnull=False, person__user__is_active=True)
    for pk, (opens, person_id, user_id, _title) in due.before_consult_opening(waiting).items():
        at = timing.due_instant(opens)
        if now - LOOKBACK <= at <= now:
            yield Due(user_id, person_id, Reason.QUESTIONNAIRE_WAITING, ASSIGNMENT, pk, at, at)


def _assignments(ids, now):
    rows = due.dated_assignments().filter(pk__in=ids).only("pk", "due_date", "title", "instrument_id", "imported_id")
    found = {a.pk: (timing.due_instant(a.due_date), a.title_shown) for a in rows}
    for pk, (opens, _person, _user, title) in due.before_consult_opening(Assignment.objects.filter(pk__in=ids)).items():
        found[pk] = (timing.due_instant(opens), title)
    return found


def alarming_results(now: dt.datetime):
    """An open attention item (a worrying answer or result) → its responsible professional, or
    else the person's responsible care-team members."""
    items = list(
        AttentionItem.objects.filter(handled_at__isnull=True, created_at__gte=now - LOOKBACK, created_at__lte=now)
        .values_list("pk", "person_id", "responsible_id", "created_at")
        .order_by("pk")
    )
    without = {person_id for _, person_id, responsible, _ in items if responsible is None}
    responsible = {}
    for person_id, professional_id in CareTeamMember.objects.filter(
        person_id__in=without, role=CareTeamMember.Role.RESPONSIBLE, ended_at__isnull=True
    ).values_list("person_id", "professional_id"):
        responsible.setdefault(person_id, []).append(professional_id)
    for pk, person_id, responsible_id, at in items:
        for user_id in [responsible_id] if responsible_id else responsible.get(person_id, []):
            yield Due(user_id, person_id, Reason.ALARMING_RESULT, "questionnaires.AttentionItem", pk, at, now)


def _attention(ids, now):
    rows = AttentionItem.objects.filter(pk__in=ids, handled_at__isnull=True)
    return {a.pk: (a.created_at, "") for a in rows.only("pk", "created_at")}


QUESTIONNAIRE_WAITING = sources.ReminderSource(
    reason=Reason.QUESTIONNAIRE_WAITING,
    name="questionnaires_waiting",
    sweep=questionnaires_waiting,
    still_applies=_assignments,
    headline=gettext_lazy("Er staat een vragenlijst voor u klaar"),
    category=access.Category.QUESTIONNAIRES,
    link=lambda notification: url("questionnaires:portal_list"),
)

ALARMING_RESULT = sources.ReminderSource(
    reason=Reason.ALARMING_RESULT,
    name="alarming_results",
    sweep=alarming_results,
    still_applies=_attention,
    headline=gettext_lazy("Zorgelijke uitslag van een vragenlijst"),
    category=access.Category.QUESTIONNAIRES,
)


def register() -> None:
    sources.register(QUESTIONNAIRE_WAITING)
    sources.register(ALARMING_RESULT)
