from django.apps import AppConfig


class ConsultsConfig(AppConfig):
    name = "koers.consults"

    def ready(self) -> None:
        from koers.consults import reminders

        reminders.register()  # its reminders (koers.notifications.sources)
        from koers.consults import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.consults import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
        from koers.consults import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
