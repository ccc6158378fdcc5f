"""Self-monitoring: own items, observations, targets, phases, diary and imports:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.monitoring.models import DiarySchedule, ImportBatch, MeasurementType, Observation, Phase, Target
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="own_items",
            title=_("Eigen vragen om bij te houden"),
            model=MeasurementType,
            category=Category.MEASUREMENTS,
            order=700,
        )
    )
    register(
        ExportSection(
            key="observations",
            title=_("Wat u zelf bijhoudt"),
            model=Observation,
            category=Category.MEASUREMENTS,
            order=710,
        )
    )
    register(
        ExportSection(
            key="monitoring_targets",
            title=_("Afspraken over metingen"),
            model=Target,
            category=Category.MEASUREMENT_PLAN,
            order=720,
        )
    )
    register(
        ExportSection(
            key="phases",
            title=_("Veranderingen in behandeling"),
            model=Phase,
            category=Category.MEASUREMENT_PLAN,
            order=730,
        )
    )
    register(
        ExportSection(
            key="diary_schedule",
            title=_("Dagboektijden"),
            model=DiarySchedule,
            category=Category.MEASUREMENTS,
            order=740,
        )
    )
    register(
        ExportSection(
            key="imports",
            title=_("Ingelezen bestanden"),
            model=ImportBatch,
            category=Category.MEASUREMENTS,
            order=750,
            # attempt, alive_at: how the worker ran it, not the person's data
            omit=frozenset({"content", "attempt", "alive_at"}),
        )
    )
