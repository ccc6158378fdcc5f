from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "koers.indicators"

    def ready(self) -> None:
        from koers.indicators import keeping
        from koers.people import exports

        keeping.connect()  # the kept cohorts follow the care-team writes (koers.indicators.cohorts)
        exports.exclude(
            "indicators.CareSpell",
            "derived: the indicators' cohorts, recomputed from the care-team memberships exported in their own section",
        )
