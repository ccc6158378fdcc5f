from __future__ import annotations

from koers.audit.models import AccessLogEntry


def access_log_for_person(person, *, include_own: bool = False):
    """Who accessed this person's data, newest first (the person's own view of the log)."""
    qs = AccessLogEntry.objects.filter(person_id=person.pk)
    if not include_own and person.user_id:
        qs = qs.exclude(user_id=person.user_id)
    return qs.order_by("-occurred_at", "-id")
