from django.apps import AppConfig

from koers.people import hooks


class HandoverConfig(AppConfig):
    """Collaboration across organisations (issue #13): at the agreed information moments a
    structured summary (overdrachtsbericht) goes to the network members the person allowed."""

    name = "koers.handover"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.handover import export_sections, reminders, services

        # The moments happen in people, network, followup and the crisis plan: they tell us.
        hooks.on_information_moment(services.summary_for_moment)
        reminders.register()  # the in-app notice to each recipient (koers.notifications.sources)
        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.handover import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
