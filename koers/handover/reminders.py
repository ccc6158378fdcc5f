"""The in-app notice of a new summary to each recipient (registered with
``koers.notifications.sources`` in ``ready()``).

There is nothing to sweep: ``services.summary_create`` puts the notices in the outbox in its own
transaction. At send time the outbox asks the access layer whether the recipient may still read
``documents`` of the person (the source's category) and withholds the notice otherwise; the
summary page itself checks the moment's category too. The notice names no health data: the
headline says a summary arrived, the link leads to it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from koers import access
from koers.handover.models import HandoverSummary
from koers.notifications import sources, texts
from koers.notifications.models import Reason


def _still_applies(subject_ids: set[int], now) -> dict:
    found = HandoverSummary.objects.filter(pk__in=subject_ids).only("pk", "created_at")  # access: outbox rows
    return {s.pk: (s.created_at, "") for s in found}


def _link(notification) -> str:
    return texts.url("handover:summary", person_id=notification.person_id, summary_id=notification.subject_id)


SOURCE = sources.ReminderSource(
    reason=Reason.HANDOVER,
    name="handover",
    sweep=lambda now: (),
    still_applies=_still_applies,
    headline=gettext_lazy("Nieuw overdrachtsbericht uit het netwerk"),
    category=access.Category.DOCUMENTS,
    link=_link,
)


def register() -> None:
    """Called from the app's ``ready()``."""
    sources.register(SOURCE)
