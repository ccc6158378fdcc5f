"""The crisis plan, its phases and signs (retired signs too: reports may point to them):
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.crisisplans.models import CrisisPhase, CrisisPlan, CrisisSign
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    category = Category.CRISIS_PLAN
    register(ExportSection(key="crisis_plan", title=_("Crisisplan"), model=CrisisPlan, category=category, order=430))
    register(
        ExportSection(
            key="crisis_plan_phases",
            title=_("Fasen van het crisisplan"),
            model=CrisisPhase,
            category=category,
            order=440,
            person_path="plan__person",
        )
    )
    register(
        ExportSection(
            key="crisis_plan_signs",
            title=_("Signalen in het crisisplan"),
            model=CrisisSign,
            category=category,
            order=450,
            person_path="plan__person",
        )
    )
