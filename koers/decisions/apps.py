from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "koers.decisions"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.careplans import sections
        from koers.decisions.plan_section import SECTION

        sections.register(SECTION)  # the care plan's snapshot and comparison gather the decisions from this section
        from koers.decisions import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.decisions import reminders

        reminders.register()  # the person's "nog niet eens" tells the coordinator (koers.notifications)
        from koers.decisions import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
        from koers.decisions import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
