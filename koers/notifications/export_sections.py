"""Reminders, messages and preferences:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.notifications.models import Delivery, Notification, NotificationPreference
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="reminders",
            title=_("Herinneringen"),
            model=Delivery,
            category=Category.NOTIFICATIONS,
            order=800,
            omit=frozenset({"lease_token", "lease_until"}),
        )
    )
    register(
        ExportSection(
            key="messages", title=_("Berichten"), model=Notification, category=Category.NOTIFICATIONS, order=810
        )
    )
    register(
        ExportSection(
            key="notification_preferences",
            title=_("Instellingen voor berichten"),
            model=NotificationPreference,
            category=Category.NOTIFICATIONS,
            order=820,
            person_path="user__person",
        )
    )
