from django.apps import AppConfig


class ConsultsConfig(AppConfig):
    name = "koers.consults"

    def ready(self) -> None:
        from koers.consults import reminders

        reminders.register()  # its reminders (koers.notifications.sources)
