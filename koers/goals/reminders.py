"""The reminder goals raises (registered with ``koers.notifications.sources`` in ``ready()``):
an action's review date has come → the person."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.goals import due
from koers.notifications import sources, timing
from koers.notifications.models import Reason
from koers.notifications.sweeps import CHUNK, Due, window
from koers.notifications.texts import url


def actions_due(now: dt.datetime):
    """An action's review date has come → the person (who has a portal account)."""
    first, today = window(now)
    rows = (
        due.actions_due(today, since=first)
        .filter(person__user__isnull=False, person__user__is_active=True)
        .values_list("pk", "person_id", "person__user_id", "review_date")
        .iterator(chunk_size=CHUNK)
    )
    for pk, person_id, user_id, day in rows:
        at = timing.due_instant(day)
        if at <= now:
            yield Due(user_id, person_id, Reason.ACTION_DUE, "goals.Action", pk, at, at)


def _still_applies(ids, now):
    rows = due.action_reviews().filter(pk__in=ids).only("pk", "review_date", "what")
    return {a.pk: (timing.due_instant(a.review_date), a.what) for a in rows}


ACTION_DUE = sources.ReminderSource(
    reason=Reason.ACTION_DUE,
    name="actions_due",
    sweep=actions_due,
    still_applies=_still_applies,
    headline=gettext_lazy("Tijd om te kijken hoe het gaat met uw actie"),
    category=access.Category.GOALS,
    link=lambda notification: url("goals:portal_goals"),
)


def register() -> None:
    sources.register(ACTION_DUE)
