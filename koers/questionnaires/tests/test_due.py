"""The "assignment due" rules (koers.questionnaires.due): dated assignments are due from their
date on; "before each consult" opens a week before the next consult."""

import datetime as dt

import pytest
from django.utils import timezone

from koers.consults.models import Consult
from koers.questionnaires import due
from koers.questionnaires.models import Assignment

TODAY = dt.date(2026, 1, 12)
ASSIGNED = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=30), dt.time(9)))


@pytest.fixture
def assign(cast):
    def make(offset=None, **fields):
        fields.setdefault("assigned_at", ASSIGNED)
        return Assignment.objects.create(
            person=cast.anna,
            instrument_id="phq-9",
            instrument_version="1.0.0",
            title=f"PHQ-9 {offset}",
            due_date=None if offset is None else TODAY + dt.timedelta(days=offset),
            assigned_by=cast.noor,
            **fields,
        )

    return make


def test_due_today_and_overdue_by_a_day_are_due_tomorrow_is_not(assign):
    today, tomorrow, yesterday = assign(0), assign(1), assign(-1)
    assert set(due.assignments_due(TODAY)) == {today, yesterday}
    assert tomorrow not in due.assignments_due(TODAY)
    assert set(due.assignments_due(TODAY, since=TODAY)) == {today}


def test_only_active_dated_assignments(assign):
    active = assign(0)
    assign(0, status=Assignment.Status.COMPLETED)
    assign(-1, status=Assignment.Status.CANCELLED)
    assign(None, schedule=Assignment.Schedule.BEFORE_CONSULT)
    assert list(due.dated_assignments()) == [active]


def test_late_from_the_day_after_its_due_date(assign):
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
    today, tomorrow, yesterday = assign(0), assign(1), assign(-1)
    late = set(Assignment.objects.filter(due.overdue_filter(now)))
    assert late == {yesterday}
    assert today not in late and tomorrow not in late


def test_before_each_consult_opens_a_week_before_the_next_consult(cast, assign):
    assignment = assign(None, schedule=Assignment.Schedule.BEFORE_CONSULT)
    consult_at = timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(23, 30)))
    Consult.objects.create(person=cast.anna, professional=cast.noor, created_by=cast.noor, scheduled_at=consult_at)
    Consult.objects.create(
        person=cast.anna,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=consult_at - dt.timedelta(days=1),
        status=Consult.Status.CANCELLED,
    )
    opening = due.before_consult_opening(Assignment.objects.all())
    assert opening == {assignment.pk: (TODAY - dt.timedelta(days=4), cast.anna.pk, cast.anna_user.pk, assignment.title)}
