from django.apps import AppConfig


class CrisisplansConfig(AppConfig):
    name = "koers.crisisplans"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.careplans import sections
        from koers.crisisplans.plan_section import SECTION

        sections.register(SECTION)  # the crisis plan is a section of the care plan: versioned and compared with it
        from koers.crisisplans import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.crisisplans import reminders

        reminders.register()  # signs reported → the coordinator (koers.notifications.sources)
        from koers.crisisplans import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
