"""Writing access-log rows. Called by the access layer and by services only."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from koers.audit import context
from koers.audit.models import AccessLogEntry

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome
Purpose = AccessLogEntry.Purpose


def _actor_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "user_display": "anonymous", "role": "anonymous"}
    organisation = getattr(user, "organisation", None)
    role = user.role
    if getattr(user, "discipline", ""):
        role = f"{role}:{user.discipline}"
    return {
        "user": user,
        "user_display": (user.get_full_name() or user.username)[:200],
        "role": role[:40],
        "organisation_id_copy": organisation.pk if organisation else None,
        "organisation_display": organisation.name[:200] if organisation else "",
    }


def default_purpose(user, person) -> str:
    if person is not None and user is not None and getattr(person, "user_id", None) == getattr(user, "pk", -1):
        return Purpose.SELF
    return Purpose.TREATMENT


def build_entry(
    *,
    user,
    action: str,
    person=None,
    person_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.SUCCESS,
    purpose: str | None = None,
    on_behalf_of=None,
    detail: str = "",
    when=None,
) -> AccessLogEntry:
    return AccessLogEntry(
        occurred_at=when or timezone.now(),
        action=action,
        outcome=outcome,
        purpose=purpose or default_purpose(user, person),
        person_id=person.pk if person is not None else person_id,
        object_type=object_type[:60],
        object_id=str(object_id)[:64] if object_id not in (None, "") else "",
        on_behalf_of=on_behalf_of,
        client_address=context.current().client_address,
        detail=detail[:200],
        **_actor_fields(user),
    )


def record(**kwargs) -> AccessLogEntry:
    """Write one access-log row now (inside the caller's transaction, if any)."""
    entry = build_entry(**kwargs)
    entry.save()
    return entry


def record_many(entries: Iterable[AccessLogEntry]) -> None:
    AccessLogEntry.objects.bulk_create(list(entries))
