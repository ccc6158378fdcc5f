from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "koers.goals"

    def ready(self) -> None:
        from koers.goals import reminders

        reminders.register()  # its reminders (koers.notifications.sources)
