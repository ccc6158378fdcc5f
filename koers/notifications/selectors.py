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


def _visible(user):
    """What the user's inbox may list: a person their own messages, a professional those
    ``_shown`` lets through; anyone else (a relative) none (the table gives them no notifications)."""
    if user.is_person:
        return Notification.objects.filter(recipient=user, person__user=user)  # access: their own messages
    if user.is_professional:
        # access: _shown asks access.visible_person_ids, as the inbox does
        return Notification.objects.filter(_shown(user), recipient=user)
    return Notification.objects.none()  # access: nothing


def unread_count(user) -> int:
    """The unread messages the inbox shows (badge, digest email): filtered like the inbox, so a
    message about a topic the person withdrew is not counted either (#12). One count query (plus
    ``_shown``'s look-ups of the professional's visible persons)."""
    return _visible(user).filter(read_at__isnull=True).count()


def preferences_for(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
