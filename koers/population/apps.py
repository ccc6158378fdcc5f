from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "koers.population"
    verbose_name = "Populatie"
    default_auto_field = "django.db.models.BigAutoField"
