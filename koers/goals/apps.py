from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "koers.goals"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.careplans import sections
        from koers.goals import reminders
        from koers.goals.plan_section import SECTION

        reminders.register()  # its reminders (koers.notifications.sources)
        sections.register(SECTION)  # the care plan's snapshot and comparison gather the goals from this section
        from koers.goals import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.goals import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
