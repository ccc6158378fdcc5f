from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Multidisciplinary and network meetings about a person (MDO / netwerkberaad): planned with an
    agenda, the person, linked relatives and professionals of the network invited; what was decided
    is recorded and each "who does what" becomes an action in the person's plan (goals' services)."""

    name = "koers.meetings"

    def ready(self) -> None:
        from koers.meetings import export_sections, reminders

        reminders.register()  # the in-app messages to invitees (koers.notifications.sources)
        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.meetings import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
