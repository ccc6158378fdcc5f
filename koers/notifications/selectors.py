"""Reading notifications (the notification centre)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from koers import access
from koers.notifications import sources
from koers.notifications.models import Notification, NotificationPreference


def inbox_for_person(user, person):
    """The person's own notifications (portal), newest first."""
    return Notification.objects.filter(recipient=user, person=person).order_by("-created_at", "-id")


def _shown(user) -> Q:
    """Notifications about persons the user may (still) see, each for the category its source is
    about: a withdrawn topic hides what was already delivered on the very next look (#12)."""
    visible = set(access.visible_person_ids(user, category=access.Category.NOTIFICATIONS, action=access.Action.READ))
    by_category = defaultdict(list)
    for source in sources.sources():
        by_category[source.category].append(source.reason)
    shown = Q(person_id__in=visible) & ~Q(reason__in=[r for reasons in by_category.values() for r in reasons])
    for category, reasons in by_category.items():
        ids = visible
        if category != access.Category.NOTIFICATIONS:
            ids = visible & set(access.visible_person_ids(user, category=category, action=access.Action.READ))
        shown |= Q(reason__in=reasons, person_id__in=ids)
    return shown


def inbox_for_professional(user):
    """A professional's notifications about people they may (still) see, newest first."""
    return (
        Notification.objects.filter(_shown(user), recipient=user)  # access: _shown asks access.visible_person_ids
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
