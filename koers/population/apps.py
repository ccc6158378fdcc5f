from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "koers.population"
    verbose_name = "Populatie"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.population import kept

        kept.connect()  # the kept per-person row follows people's rows (koers.population.kept)
        from koers.people import exports

        exports.exclude(
            "population.PersonFacts",
            "derived: the population page's counting row, recomputed from rows that are exported in their own sections",
        )
