from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Reminders and notifications: in-app and email, per-person preferences and quiet hours,
    delivered exactly once by background tasks (Django's task framework)."""

    name = "koers.notifications"

    def ready(self) -> None:
        from koers.notifications import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
