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
        from koers.lib.tasks import kept_data_repair  # in ready(): a task module, registered below
        from koers.notifications import periodic, sources  # in ready(): the registry is filled once apps are loaded

        # Nightly: a write that bypassed the signals (SQL by hand, loaddata) is repaired by morning.
        sources.register_periodic(
            "population.personfacts_repair", kept_data_repair, args=("personfacts",), daily_at=periodic.NIGHTLY
        )
