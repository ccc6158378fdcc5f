"""What a reminder is about, read-only from other apps: does it still apply at send time?

Each reason names its subject (a model and a rule). ``still_relevant`` answers for a batch of
outbox rows with one query per reason, and gives the few words the notification shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from koers.notifications import timing
from koers.notifications.models import Reason


def _actions(ids, now):
    from koers.goals.models import Action

    rows = Action.objects.filter(pk__in=ids, status=Action.Status.ACTIVE, review_date__isnull=False)
    return {a.pk: (timing.due_instant(a.review_date), a.what) for a in rows.only("pk", "review_date", "what")}


def before_consult_due(assignments) -> dict[int, tuple[dt.datetime, int, int, str]]:
    """For active "before each consult" assignments: {pk: (reminder instant, person_id, person's
    user id, title)}. The questionnaire opens ``OPEN_WINDOW_DAYS`` before the first consult (not
    cancelled) after the last completion, or after the assignment (the questionnaires app's
    ``due_state`` rule); the reminder is due at 09:00 that day, so a rescheduled consult gives a
    new reminder and a completed questionnaire makes the old one void. One query."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from koers.consults.models import Consult
    from koers.questionnaires.models import Assignment
    from koers.questionnaires.selectors import OPEN_WINDOW_DAYS

    first_consult = (
        Consult.objects.filter(
            person=OuterRef("person"),
            scheduled_at__gt=Coalesce(OuterRef("last_completed_at"), OuterRef("assigned_at")),
        )
        .exclude(status=Consult.Status.CANCELLED)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    rows = (
        assignments.filter(status=Assignment.Status.ACTIVE, schedule=Assignment.Schedule.BEFORE_CONSULT)
        .annotate(consult_at=Subquery(first_consult))
        .filter(consult_at__isnull=False)
        .values_list("pk", "person_id", "person__user_id", "title", "consult_at")
    )
    out = {}
    for pk, person_id, user_id, title, consult_at in rows:
        opens = consult_at.astimezone(timing.LOCAL).date() - dt.timedelta(days=OPEN_WINDOW_DAYS)
        out[pk] = (timing.due_instant(opens), person_id, user_id, title)
    return out


def _assignments(ids, now):
    from koers.questionnaires.models import Assignment

    rows = Assignment.objects.filter(pk__in=ids, status=Assignment.Status.ACTIVE, due_date__isnull=False)
    found = {a.pk: (timing.due_instant(a.due_date), a.title) for a in rows.only("pk", "due_date", "title")}
    for pk, (due, _person, _user, title) in before_consult_due(Assignment.objects.filter(pk__in=ids)).items():
        found[pk] = (due, title)
    return found


def _consults(ids, now):
    from koers.consults.models import Consult

    rows = Consult.objects.filter(pk__in=ids, status=Consult.Status.PLANNED, scheduled_at__gt=now)
    return {c.pk: (c.scheduled_at, "") for c in rows.only("pk", "scheduled_at")}


def _attention(ids, now):
    from koers.questionnaires.models import AttentionItem

    rows = AttentionItem.objects.filter(pk__in=ids, handled_at__isnull=True)
    return {a.pk: (a.created_at, "") for a in rows.only("pk", "created_at")}


def _follow_up(ids, now):
    from koers.careplans.models import FollowUpAgreement

    rows = FollowUpAgreement.objects.filter(pk__in=ids, active=True, next_date__isnull=False)
    return {f.pk: (timing.due_instant(f.next_date), f.what) for f in rows.only("pk", "next_date", "what")}


def _evaluation(ids, now):
    # Still due by the follow-up app's own rule (an evaluation held since makes it void).
    from koers.followup.selectors import evaluations_due

    today = now.astimezone(timing.LOCAL).date()
    return {
        item.object_id: (timing.due_instant(item.due_date), "")
        for item in evaluations_due(on=today)
        if item.object_id in ids
    }


def _screening(ids, now):
    # Still planned and not done, for the same date (a moved or recorded screening is void).
    from koers.screening.models import SomaticScreening

    rows = SomaticScreening.objects.filter(pk__in=ids, done_on__isnull=True)
    return {s.pk: (timing.due_instant(s.due_date), "") for s in rows.only("pk", "due_date")}


def _diary_prompt(ids, now):
    # Still open (koers.monitoring.diary): the schedule active, the time still chosen, the moment
    # not yet closed and not answered already. One subject has a prompt per moment, so the check
    # answers per (schedule, due instant).
    from koers.monitoring.diary import prompt_still_open

    return _PerInstant(prompt_still_open(ids, now))


def _monitoring_signal(ids, now):
    # Still outside what was agreed, under the agreement as it is now (koers.monitoring.signalling).
    from koers.monitoring.signalling import still_signalled

    return still_signalled(ids, now)


class _PerInstant(dict):
    """{subject id: {due instant: about}} read as the other checks' {subject id: (due, about)}:
    ``get`` answers for the row being checked (see ``still_relevant``)."""


CHECKS = {
    Reason.ACTION_DUE: _actions,
    Reason.QUESTIONNAIRE_WAITING: _assignments,
    Reason.APPOINTMENT_COMING: _consults,
    Reason.ALARMING_RESULT: _attention,
    Reason.FOLLOW_UP_DUE: _follow_up,
    Reason.EVALUATION_DUE: _evaluation,
    Reason.SCREENING_DUE: _screening,
    Reason.DIARY_PROMPT: _diary_prompt,
    Reason.MONITORING_SIGNAL: _monitoring_signal,
}


def still_relevant(rows, *, now: dt.datetime) -> dict[int, str]:
    """{row id: about-text} for the rows whose subject still applies *with the same due instant*
    (a moved review date or a rescheduled consult is a new reminder, not this one)."""
    by_reason = defaultdict(list)
    for row in rows:
        by_reason[row.reason].append(row)
    out: dict[int, str] = {}
    for reason, group in by_reason.items():
        check = CHECKS.get(reason)
        if check is None:
            continue
        found = check({r.subject_id for r in group}, now)
        for row in group:
            hit = found.get(row.subject_id)
            if isinstance(found, _PerInstant):  # several reminders per subject, one per instant
                about = (hit or {}).get(row.due_at)
                hit = (row.due_at, about) if about is not None else None
            if hit is not None and (hit[0] is None or hit[0] == row.due_at):
                out[row.pk] = hit[1]
    return out
