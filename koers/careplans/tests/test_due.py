"""The one "follow-up due" rule (koers.careplans.due): active, due from its next date on."""

import datetime as dt

from koers.careplans import due
from koers.careplans.models import FollowUpAgreement

TODAY = dt.date(2026, 1, 12)


def test_due_today_and_overdue_by_a_day_are_due_tomorrow_is_not_and_ended_is_not(cast):
    def agree(offset, **fields):
        day = None if offset is None else TODAY + dt.timedelta(days=offset)
        return FollowUpAgreement.objects.create(
            person=cast.anna, what=f"Bellen {offset}", who="Noor", created_by=cast.noor, next_date=day, **fields
        )

    today, tomorrow, yesterday = agree(0), agree(1), agree(-1)
    agree(-1, active=False)
    agree(None)
    assert set(due.follow_ups_due(TODAY)) == {today, yesterday}
    assert set(due.follow_ups_planned()) == {today, tomorrow, yesterday}
