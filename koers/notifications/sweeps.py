"""Finding what is due and putting it in the outbox — idempotent.

A sweep may run any number of times (every few minutes, twice at once, after a crash): each
reminder is one outbox row because the dedupe key (recipient, channel, reason, subject, due
instant) is unique in the database and rows are inserted with ON CONFLICT DO NOTHING. Reminders
are scheduled for the in-app channel (the reminder of record); email is added when the in-app
message is delivered, according to the preferences at that time.

Reads other apps' models read-only. A reminder more than ``LOOKBACK`` old is not scheduled any
more (a Koers switched on for the first time does not flood people with last year's dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from koers.notifications import timing
from koers.notifications.models import Channel, Delivery, Reason

LOOKBACK = dt.timedelta(days=7)
APPOINTMENT_AHEAD = dt.timedelta(hours=24)
CHUNK = 5000


@dataclass(frozen=True)
class Due:
    recipient_id: int
    person_id: int
    reason: str
    subject_type: str
    subject_id: int
    due_at: dt.datetime
    send_after: dt.datetime


def _window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    today = now.astimezone(timing.LOCAL).date()
    return (now - LOOKBACK).astimezone(timing.LOCAL).date(), today


def actions_due(now: dt.datetime):
    """An action's review date has come → the person (who has a portal account)."""
    from koers.goals.models import Action

    first, today = _window(now)
    rows = (
        Action.objects.filter(
            status=Action.Status.ACTIVE,
            review_date__gte=first,
            review_date__lte=today,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .values_list("pk", "person_id", "person__user_id", "review_date")
        .iterator(chunk_size=CHUNK)
    )
    for pk, person_id, user_id, day in rows:
        due = timing.due_instant(day)
        if due <= now:
            yield Due(user_id, person_id, Reason.ACTION_DUE, "goals.Action", pk, due, due)


def questionnaires_waiting(now: dt.datetime):
    """A questionnaire is due to be filled in → the person."""
    from koers.questionnaires.models import Assignment

    first, today = _window(now)
    rows = Assignment.objects.filter(
        status=Assignment.Status.ACTIVE,
        due_date__gte=first,
        due_date__lte=today,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("pk", "person_id", "person__user_id", "due_date")
    for pk, person_id, user_id, day in rows.iterator(chunk_size=CHUNK):
        due = timing.due_instant(day)
        if due <= now:
            yield Due(user_id, person_id, Reason.QUESTIONNAIRE_WAITING, "questionnaires.Assignment", pk, due, due)
    # "Before each consult" has no due date of its own: it opens a week before the next consult.
    from koers.notifications.subjects import before_consult_due

    waiting = Assignment.objects.filter(person__user__isnull=False, person__user__is_active=True)
    for pk, (due, person_id, user_id, _title) in before_consult_due(waiting).items():
        if now - LOOKBACK <= due <= now:
            yield Due(user_id, person_id, Reason.QUESTIONNAIRE_WAITING, "questionnaires.Assignment", pk, due, due)


def appointments_coming(now: dt.datetime):
    """A planned consult in the next 24 hours → the person. The due instant is the consult's
    time, so a rescheduled consult gets its own reminder."""
    from koers.consults.models import Consult

    rows = Consult.objects.filter(
        status=Consult.Status.PLANNED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + APPOINTMENT_AHEAD,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("pk", "person_id", "person__user_id", "scheduled_at")
    for pk, person_id, user_id, at in rows.iterator(chunk_size=CHUNK):
        yield Due(user_id, person_id, Reason.APPOINTMENT_COMING, "consults.Consult", pk, at, now)


def alarming_results(now: dt.datetime):
    """An open attention item (a worrying answer or result) → its responsible professional, or
    else the person's responsible care-team members."""
    from koers.network.models import CareTeamMember
    from koers.questionnaires.models import AttentionItem

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


def _followup_items(selector, reason, now: dt.datetime):
    today = now.astimezone(timing.LOCAL).date()
    for item in selector(on=today):
        due = timing.due_instant(item.due_date)
        yield Due(item.professional_id, item.person_id, reason, item.object_type, item.object_id, due, max(due, now))


def follow_ups_due(now: dt.datetime):
    """A follow-up agreement's next date has come (or passed) → its responsible professional(s).
    From koers.followup.selectors; one reminder per agreed date."""
    from koers.followup import selectors

    yield from _followup_items(selectors.follow_ups_due, Reason.FOLLOW_UP_DUE, now)


def evaluations_due(now: dt.datetime):
    """The yearly care-plan evaluation (WGBO) is due → the responsible professional(s)."""
    from koers.followup import selectors

    yield from _followup_items(selectors.evaluations_due, Reason.EVALUATION_DUE, now)


def screenings_due(now: dt.datetime):
    """The yearly somatic screening (severe mental illness) is due → the responsible
    professional(s); one reminder per planned date."""
    from koers.followup import selectors

    yield from _followup_items(selectors.screenings_due, Reason.SCREENING_DUE, now)


def diary_prompts(now: dt.datetime):
    """A diary moment the person chose has come → the person (koers.monitoring.diary: one per
    person, day and time; quiet hours delay it, or leave it out once the moment has passed)."""
    from koers.monitoring.diary import sweep_prompts

    yield from sweep_prompts(now)


def monitoring_signals(now: dt.datetime):
    """A self-measured value outside an agreed target, or far outside the person's usual range,
    where signalling was agreed → the responsible care-team member(s) (koers.monitoring.signalling;
    one per observation)."""
    from koers.monitoring.signalling import sweep_signals

    yield from sweep_signals(now)


SOURCES = [
    actions_due,
    questionnaires_waiting,
    appointments_coming,
    alarming_results,
    follow_ups_due,
    evaluations_due,
    screenings_due,
    diary_prompts,
    monitoring_signals,
]


def schedule(items, *, now: dt.datetime) -> int:
    """Insert outbox rows for ``items`` (in-app), ignoring those that exist. Returns how many were
    offered; count the table to know how many were new."""
    offered = 0
    batch = []
    for item in items:
        batch.append(
            Delivery(
                recipient_id=item.recipient_id,
                person_id=item.person_id,
                channel=Channel.IN_APP,
                reason=item.reason,
                subject_type=item.subject_type,
                subject_id=item.subject_id,
                due_at=item.due_at,
                send_after=item.send_after,
                created_at=now,
            )
        )
        if len(batch) >= CHUNK:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            offered += len(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        offered += len(batch)
    return offered


def sweep(*, now: dt.datetime | None = None, sources=None) -> dict[str, int]:
    """Run every source once. Returns {source name: reminders offered}."""
    now = now or timezone.now()
    return {source.__name__: schedule(source(now), now=now) for source in (sources or SOURCES)}


def open_rows() -> Q:
    return Q(state__in=[Delivery.State.PENDING, Delivery.State.SENDING])
