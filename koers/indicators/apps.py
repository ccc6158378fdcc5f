from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "koers.indicators"

    def ready(self) -> None:
        from koers.indicators import keeping

        keeping.connect()  # the kept cohorts follow the care-team writes (koers.indicators.cohorts)
        from koers.lib.tasks import kept_data_repair  # in ready(): a task module, registered below
        from koers.notifications import periodic, sources  # in ready(): the registry is filled once apps are loaded

        # Nightly: a write that bypassed the signals (SQL by hand, loaddata) is repaired by morning.
        sources.register_periodic(
            "indicators.kept_rows_repair", kept_data_repair, args=("indicator_cohorts",), daily_at=periodic.NIGHTLY
        )
