from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """Questionnaires and routine outcome monitoring (ROM): FHIR R4 Questionnaire instruments,
    scoring from their SDC FHIRPath expressions, administrations and change statistics."""

    name = "koers.questionnaires"
