from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "koers.indicators"

    def ready(self) -> None:
        from koers.indicators import keeping

        keeping.connect()  # the kept cohorts follow the care-team writes (koers.indicators.cohorts)
