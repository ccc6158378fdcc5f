"""Goals, GAS levels, reviews, actions and progress:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange, GoalVersion
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="goals", title=_("Doelen"), model=Goal, category=Category.GOALS, order=300, care_dates=("updated_at",)
        )
    )
    register(
        ExportSection(
            key="goal_versions",
            title=_("Eerdere versies van doelen"),
            model=GoalVersion,
            category=Category.GOALS,
            order=305,
            care_dates=("updated_at",),
        )
    )
    register(
        ExportSection(
            key="goal_status_changes",
            title=_("Veranderingen van doelen"),
            model=GoalStatusChange,
            category=Category.GOALS,
            order=310,
            person_path="goal__person",
        )
    )
    register(
        ExportSection(
            key="gas_levels",
            title=_("Niveaus van doelen (GAS)"),
            model=GasLevel,
            category=Category.GOALS,
            order=320,
            person_path="goal__person",
        )
    )
    register(
        ExportSection(
            key="goal_reviews",
            title=_("Evaluaties van doelen"),
            model=GoalReview,
            category=Category.GOALS,
            order=330,
            person_path="goal__person",
        )
    )
    register(ExportSection(key="actions", title=_("Acties"), model=Action, category=Category.GOALS, order=340))
    register(
        ExportSection(
            key="action_progress",
            title=_("Voortgang van acties"),
            model=ActionProgress,
            category=Category.GOALS,
            order=350,
            person_path="action__person",
        )
    )
