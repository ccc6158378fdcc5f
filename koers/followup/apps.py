from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Follow-up: worklists, the yearly care-plan evaluation, yearly somatic screening, lab
    results explained in a personal letter, and the person's calendar feed."""

    name = "koers.followup"

    def ready(self) -> None:
        from koers.followup import reminders

        reminders.register()  # its reminders (koers.notifications.sources)
        from koers.followup import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.followup import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
