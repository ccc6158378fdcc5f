"""Measurements, personal targets, somatic screenings and lab letters:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.people.exports import ExportSection, register
from koers.screening.models import LabLetter, Measurement, PersonalTarget, SomaticScreening


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="measurements",
            title=_("Metingen en labwaarden"),
            model=Measurement,
            category=Category.MEASUREMENTS,
            order=600,
            care_dates=("taken_at",),
        )
    )
    register(
        ExportSection(
            key="personal_targets",
            title=_("Eigen streefwaarden"),
            model=PersonalTarget,
            category=Category.MEASUREMENT_PLAN,
            order=610,
        )
    )
    register(
        ExportSection(
            key="somatic_screenings",
            title=_("Lichamelijke controles"),
            model=SomaticScreening,
            category=Category.MEASUREMENT_PLAN,
            order=620,
        )
    )
    register(
        ExportSection(
            key="lab_letters",
            title=_("Brieven over uitslagen"),
            model=LabLetter,
            category=Category.MEASUREMENT_PLAN,
            order=630,
        )
    )
