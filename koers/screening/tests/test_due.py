"""The one "screening due" rule (koers.screening.due): planned and not done, due from its date on."""

import datetime as dt

from koers.screening import due
from koers.screening.models import SomaticScreening

TODAY = dt.date(2026, 1, 12)


def test_due_today_and_overdue_by_a_day_are_due_tomorrow_is_not_and_done_is_not(cast):
    def plan(offset, person=cast.anna, **fields):
        day = TODAY + dt.timedelta(days=offset)
        return SomaticScreening.objects.create(person=person, due_date=day, created_by=cast.noor, **fields)

    today, tomorrow, yesterday = plan(0), plan(1, person=cast.bas), plan(-1, person=cast.bas)
    plan(-1, done_on=TODAY - dt.timedelta(days=1))
    assert set(due.screenings_due(TODAY)) == {today, yesterday}
    assert set(due.screenings_open()) == {today, tomorrow, yesterday}
