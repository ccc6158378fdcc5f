"""The reminder the person's word on a plan version raises (registered with
``koers.notifications.sources`` in ``ready()``): their comment ("nog niet eens") → the person's
coordinator, at once (issue #13 leftovers; ``signoff.care_plan_sign_off`` puts it in the outbox).

As for a decision (``koers.decisions.reminders``): the sweep offers it again for the comments of
the last days (idempotent: exactly once per coordinator), it applies at send time only while it
is still the person's current word on that version, and its "about" is the comment, shown only
to a reader who may read the sign-off (category ``CAREPLAN_SIGNOFF``); an email never says it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.careplans.models import CarePlanSignOff
from koers.lib.answers import current_answers
from koers.network.coordination import coordinator_of, coordinators_of
from koers.notifications import sources, sweeps
from koers.notifications.models import Reason
from koers.notifications.texts import url

SIGNOFF = "careplans.CarePlanSignOff"
SWEEP_DAYS = 2
COMMENT = CarePlanSignOff.Answer.COMMENT


def tell_coordinator(person, given: CarePlanSignOff) -> None:
    """Put the notice in the outbox for the person's coordinator now (none without one)."""
    coordinator = coordinator_of(person)
    if coordinator is None or given.answer != COMMENT:
        return
    due = sources.Due(
        coordinator.professional_id, person.pk, Reason.PLAN_COMMENT, SIGNOFF, given.pk, given.given_at, given.given_at
    )
    sweeps.schedule([due], now=given.given_at)


def _rows(**filters):
    return CarePlanSignOff.objects.filter(**filters).values_list(  # access: outbox rows, checked at send time
        "pk", "version_id", "answer", "given_at", "comment", "person_id"
    )


def current_comments(rows) -> dict[int, tuple]:
    """{sign-off id: (given_at, comment, person id)} of the answers that are their version's
    current word and a comment (rows: the versions' sign-offs, newest first). Pure."""
    return current_answers(rows, wanted=COMMENT)


def _current_of(versions) -> dict[int, tuple]:
    return current_comments(_rows(version_id__in=versions).order_by("-given_at", "-id"))


def comments_given(now: dt.datetime):
    recent = _rows(given_at__gte=now - dt.timedelta(days=SWEEP_DAYS), answer=COMMENT)
    current = _current_of({r[1] for r in recent})
    coordinators = coordinators_of({v[2] for v in current.values()})
    for pk, (given_at, _comment, person_id) in current.items():
        if person_id in coordinators:
            yield sources.Due(coordinators[person_id], person_id, Reason.PLAN_COMMENT, SIGNOFF, pk, given_at, given_at)


def _still(ids, now):
    rows = CarePlanSignOff.objects.filter(pk__in=ids)  # access: outbox rows, checked at send time
    versions = set(rows.values_list("version_id", flat=True))
    return {pk: (given_at, comment) for pk, (given_at, comment, _p) in _current_of(versions).items() if pk in ids}


PLAN_COMMENT = sources.ReminderSource(
    reason=Reason.PLAN_COMMENT,
    name="plan_comment",
    sweep=comments_given,
    still_applies=_still,
    headline=gettext_lazy("De cliënt heeft een opmerking bij het zorgplan"),
    category=access.Category.CAREPLAN_SIGNOFF,
    link=lambda notification: url("careplans:versions", person_id=notification.person_id),
)


def register() -> None:
    sources.register(PLAN_COMMENT)
