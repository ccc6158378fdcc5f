"""When a follow-up agreement is due: the one rule, read by the worklist and the reminders alike.
An active agreement with a next date is due from that date on, until the date is moved or the
agreement ends."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from koers.careplans.models import FollowUpAgreement


def follow_ups_planned() -> QuerySet[FollowUpAgreement]:
    """Active agreements with a next date (whatever it is)."""
    return FollowUpAgreement.objects.filter(active=True, next_date__isnull=False)


def follow_ups_due(on: dt.date) -> QuerySet[FollowUpAgreement]:
    """Active agreements whose next date is ``on`` or earlier."""
    return follow_ups_planned().filter(next_date__lte=on)
