"""When an action is due: the one rule "kijken hoe het gaat" (an action's review), read by the
worklist, the reminders, the calendar feed and the overview pages alike.

An active action with a review date is due from that date on (an overdue one stays due until
the review date is moved or the action ends).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from koers.goals.models import Action


def action_reviews(*, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Action]:
    """Active actions with a review date, on or after ``since`` and on or before ``until`` when given."""
    qs = Action.objects.filter(status=Action.Status.ACTIVE, review_date__isnull=False)
    if since is not None:
        qs = qs.filter(review_date__gte=since)
    if until is not None:
        qs = qs.filter(review_date__lte=until)
    return qs


def actions_due(on: dt.date, *, since: dt.date | None = None) -> QuerySet[Action]:
    """Actions due on ``on``: review date ``on`` or earlier (from ``since``, when given)."""
    return action_reviews(since=since, until=on)
