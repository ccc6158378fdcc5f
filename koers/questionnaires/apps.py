from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """Questionnaires and routine outcome monitoring (ROM): FHIR R4 Questionnaire instruments,
    scoring from their SDC FHIRPath expressions, administrations and change statistics."""

    name = "koers.questionnaires"

    def ready(self) -> None:
        from koers.questionnaires import discuss

        discuss.register()  # "bespreek dit": the agenda draws this app's trajectories
        from koers.questionnaires import reminders

        reminders.register()  # its reminders (koers.notifications.sources)
        from koers.questionnaires import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.questionnaires import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
        from koers.questionnaires import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
