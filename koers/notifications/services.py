"""Writes of the notification centre: marking read, and preferences. See docs/conventions.md."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.notifications import sources
from koers.notifications.models import Notification, NotificationPreference

NOTIFICATIONS = access.Category.NOTIFICATIONS


def email_address(user) -> str:
    """Where email goes: the account's address, else (for a person) the address in their record."""
    if user.email:
        return user.email
    person = getattr(user, "person", None) if user.is_person else None
    return getattr(person, "email", "") or ""


def _read_category(actor, notification: Notification) -> access.Category:
    """What a relative must still be allowed to read to mark a message read: its source's own
    category (they never read a person's ``NOTIFICATIONS``); everyone else ``NOTIFICATIONS``."""
    source = sources.source_for(notification.reason)
    if actor.is_relative and source is not None and source.category_alone:
        return source.category
    return NOTIFICATIONS


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient has read it. Only the recipient can; anyone else gets 'not found'."""
    person = notification.person
    if notification.recipient_id != actor.pk:
        access.refuse(
            actor,
            person_id=person.pk,
            category=NOTIFICATIONS,
            action=access.Action.UPDATE,
            object_type=Notification._meta.label,
            object_id=notification.pk,
        )
    # The person updates their own notifications; a professional reads theirs about a person in
    # their care; a relative reads the category the message's source is about (an invitation).
    access.require(
        actor,
        person,
        _read_category(actor, notification),
        access.Action.UPDATE if actor.is_person else access.Action.READ,
        object_type=Notification._meta.label,
        object_id=notification.pk,
    )
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        access.record(actor, person, access.Action.UPDATE, notification, detail="gelezen")
    return notification


def notifications_mark_all_read(*, actor, person) -> int:
    access.require(actor, person, NOTIFICATIONS, access.Action.UPDATE, object_type=Notification._meta.label)
    with transaction.atomic():
        count = Notification.objects.filter(recipient=actor, person=person, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        access.record(
            actor, person, access.Action.UPDATE, object_type=Notification._meta.label, detail=f"{count} gelezen"
        )
    return count


def preferences_update(
    *,
    actor,
    person=None,
    email: bool,
    frequency: str,
    quiet_start: dt.time | None,
    quiet_end: dt.time | None,
) -> NotificationPreference:
    """Change how ``actor`` is reminded. ``person`` is the actor's own person record (portal);
    a professional's preferences are not about a person (``person=None``)."""
    if person is not None:
        access.require(
            actor, person, NOTIFICATIONS, access.Action.UPDATE, object_type=NotificationPreference._meta.label
        )
    errors = {}
    if (quiet_start is None) != (quiet_end is None):
        errors["quiet_end"] = _("Vul bij rustige uren allebei de tijden in, of geen van beide.")
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = _(
            "Begin en eind van de rustige uren zijn gelijk. Kies twee tijden die niet hetzelfde zijn."
        )
    if frequency not in NotificationPreference.Frequency.values:
        errors["frequency"] = _("Kies hoe vaak u een e-mail wilt krijgen.")
    if email and not email_address(actor):
        errors["email"] = _(
            "Er staat geen e-mailadres bij u. Vraag uw zorgverlener om het toe te voegen, dan kunt u dit aanzetten."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        pref.email, pref.frequency, pref.quiet_start, pref.quiet_end = email, frequency, quiet_start, quiet_end
        pref.save()
        if person is not None:
            access.record(actor, person, access.Action.UPDATE, pref)
    return pref
