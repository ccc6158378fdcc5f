from __future__ import annotations

from koers.audit.log import NOT_IN_RECORD
from koers.audit.models import AccessLogEntry


def access_log_for_person(person, *, include_own: bool = False):
    """Who accessed this person's data, newest first (the person's own view of the log).

    Refused attempts count only when they were about this person's record: not those from before
    the record existed (someone tried the number before it was this person's), and not a refused
    object id that was not in the record (``access.object_for``: another person's or no object).
    """
    qs = AccessLogEntry.objects.filter(person_id=person.pk)
    refused = AccessLogEntry.Outcome.REFUSED
    qs = qs.exclude(outcome=refused, detail=NOT_IN_RECORD)
    if getattr(person, "created_at", None) is not None:
        qs = qs.exclude(outcome=refused, occurred_at__lt=person.created_at)
    if not include_own and person.user_id:
        qs = qs.exclude(user_id=person.user_id)
    return qs.order_by("-occurred_at", "-id")
