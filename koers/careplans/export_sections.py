"""The care plan, its versions and follow-up agreements:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.careplans.models import CarePlan, CarePlanSignOff, CarePlanVersion, FollowUpAgreement
from koers.people.exports import ExportSection, exclude, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="care_plan",
            title=_("Zorgplan"),
            model=CarePlan,
            category=Category.CAREPLAN,
            order=400,
            omit=frozenset({"current_snapshot"}),  # derived from exported rows (careplans.kept)
        )
    )
    register(
        ExportSection(
            key="care_plan_versions",
            title=_("Versies van het zorgplan"),
            model=CarePlanVersion,
            category=Category.CAREPLAN,
            order=410,
            care_dates=("created_at",),
            person_path="care_plan__person",
        )
    )
    register(
        ExportSection(
            key="follow_up_agreements",
            title=_("Vervolgafspraken"),
            model=FollowUpAgreement,
            category=Category.CAREPLAN,
            order=420,
        )
    )
    register(
        ExportSection(
            key="care_plan_signoffs",
            title=_("Uw akkoord met versies van het zorgplan"),
            model=CarePlanSignOff,
            category=Category.CAREPLAN_SIGNOFF,
            order=415,
        )
    )
    exclude(
        "careplans.KeptPlanPage",
        "derived: the care plan page's plan part as HTML, rendered from the plan exported in its own sections",
    )
