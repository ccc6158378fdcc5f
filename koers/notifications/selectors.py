"""Reading notifications (the notification centre)."""

from __future__ import annotations

from koers import access
from koers.notifications.models import Notification, NotificationPreference


def inbox_for_person(user, person):
    """The person's own notifications (portal), newest first."""
    return Notification.objects.filter(recipient=user, person=person).order_by("-created_at", "-id")


def inbox_for_professional(user):
    """A professional's notifications about people they may (still) see, newest first."""
    visible = access.visible_person_ids(user, category=access.Category.NOTIFICATIONS, action=access.Action.READ)
    return (
        Notification.objects.filter(recipient=user, person_id__in=visible)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
