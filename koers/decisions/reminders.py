"""The reminder the person's word on a decision raises (registered with
``koers.notifications.sources`` in ``ready()``): "Ik ben het nog niet eens" → the person's
coordinator, at once (issue #13 leftovers; ``agreement.decision_confirm`` puts it in the outbox).

The sweep offers it again for the answers of the last days (idempotent: the outbox ignores what
it already has, so each coordinator gets it exactly once), so an answer given while nobody was
coordinator reaches the coordinator named since. At send time it applies only while it is still
the person's current word on the decision (an "eens" or a taken-back answer since withholds it).
The message carries the person's comment as its "about": the inbox shows it only to a reader who
may read the person's agreement (category ``DECISION_AGREEMENT``, checked at send time and at
every read); an email never says what a message is about.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.decisions.models import DecisionConfirmation
from koers.lib.answers import current_answers
from koers.network.coordination import coordinator_of, coordinators_of
from koers.notifications import sources, sweeps
from koers.notifications.models import Reason
from koers.notifications.texts import url

CONFIRMATION = "decisions.DecisionConfirmation"
SWEEP_DAYS = 2
NOT_YET = DecisionConfirmation.Answer.NOT_YET


def tell_coordinator(person, given: DecisionConfirmation) -> None:
    """Put the notice in the outbox for the person's coordinator now (none without one)."""
    coordinator = coordinator_of(person)
    if coordinator is None or given.answer != NOT_YET:
        return
    due = sources.Due(
        coordinator.professional_id, person.pk, Reason.DECISION_NOT_YET, CONFIRMATION, given.pk,
        given.given_at, given.given_at,
    )  # fmt: skip
    sweeps.schedule([due], now=given.given_at)


def _rows(**filters):
    return DecisionConfirmation.objects.filter(**filters).values_list(  # access: outbox rows, checked at send time
        "pk", "decision_id", "answer", "given_at", "comment", "person_id"
    )


def current_not_yet(rows) -> dict[int, tuple]:
    """{confirmation id: (given_at, comment, person id)} of the answers that are their decision's
    current word and "nog niet eens" (rows: the decisions' confirmations, newest first). Pure."""
    return current_answers(rows, wanted=NOT_YET)


def _current_of(decisions) -> dict[int, tuple]:
    return current_not_yet(_rows(decision_id__in=decisions).order_by("-given_at", "-id"))


def answers_given(now: dt.datetime):
    recent = _rows(given_at__gte=now - dt.timedelta(days=SWEEP_DAYS), answer=NOT_YET)
    current = _current_of({r[1] for r in recent})
    coordinators = coordinators_of({v[2] for v in current.values()})
    for pk, (given_at, _comment, person_id) in current.items():
        if person_id in coordinators:
            coordinator = coordinators[person_id]
            yield sources.Due(coordinator, person_id, Reason.DECISION_NOT_YET, CONFIRMATION, pk, given_at, given_at)


def _still(ids, now):
    rows = DecisionConfirmation.objects.filter(pk__in=ids)  # access: outbox rows, checked at send time
    decisions = set(rows.values_list("decision_id", flat=True))
    return {pk: (given_at, comment) for pk, (given_at, comment, _p) in _current_of(decisions).items() if pk in ids}


DECISION_NOT_YET = sources.ReminderSource(
    reason=Reason.DECISION_NOT_YET,
    name="decision_not_yet",
    sweep=answers_given,
    still_applies=_still,
    headline=gettext_lazy("De cliënt is het nog niet eens met een besluit"),
    category=access.Category.DECISION_AGREEMENT,
    link=lambda notification: url("decisions:list", person_id=notification.person_id),
)


def register() -> None:
    sources.register(DECISION_NOT_YET)
