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


def _ids(user, category) -> set[int]:
    return set(access.visible_person_ids(user, category=category, action=access.Action.READ))


def _shown(user) -> Q:
    """Notifications about persons the user may (still) see, each for the category its source is
    about: a withdrawn topic (or an ended link) hides what was already delivered on the very next
    look (#12). As at send time (``delivery._withheld``): the person's ``NOTIFICATIONS`` and the
    source's category, or that category alone for a ``category_alone`` source (a meeting
    invitation, which a relative reads by invitation)."""
    visible = _ids(user, access.Category.NOTIFICATIONS)
    by_category = defaultdict(list)
    for source in sources.sources():
        by_category[source.category, source.category_alone].append(source.reason)
    shown = Q(person_id__in=visible) & ~Q(reason__in=[r for reasons in by_category.values() for r in reasons])
    for (category, alone), reasons in by_category.items():
        if alone:
            ids = _ids(user, category)
        elif category != access.Category.NOTIFICATIONS:
            ids = visible & _ids(user, category)
        else:
            ids = visible
        shown |= Q(reason__in=reasons, person_id__in=ids)
    return shown


def inbox_for_professional(user):
    """A professional's notifications about people they may (still) see, newest first."""
    return (
        Notification.objects.filter(_shown(user), recipient=user)  # access: _shown asks access.visible_person_ids
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def inbox_for_relative(user):
    """A relative's messages (issue #13), newest first: only those ``_shown`` lets through — a
    source's category the relative may read now (a meeting they are invited to, while the person
    still names them); a relative never reads a person's ``NOTIFICATIONS``, so nothing else."""
    if not user.is_relative:
        return Notification.objects.none()  # access: only a relative has this inbox
    return (
        Notification.objects.filter(_shown(user), recipient=user)  # access: _shown asks access.visible_person_ids
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def _visible(user):
    """What the user's inbox may list: a person their own messages, a professional and a relative
    those ``_shown`` lets through; anyone else none."""
    if user.is_person:
        return Notification.objects.filter(recipient=user, person__user=user)  # access: their own messages
    if user.is_professional or user.is_relative:
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
