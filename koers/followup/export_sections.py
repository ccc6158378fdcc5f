"""Yearly evaluations, the person's input, calendar links and worklist marks:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.followup.models import CalendarToken, PersonEvaluationInput, WorklistMark, YearlyEvaluation
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="yearly_evaluations",
            title=_("Jaarlijkse evaluaties"),
            model=YearlyEvaluation,
            category=Category.CAREPLAN,
            order=900,
            care_dates=("date",),
        )
    )
    register(
        ExportSection(
            key="evaluation_input",
            title=_("Uw inbreng voor de evaluatie"),
            model=PersonEvaluationInput,
            category=Category.CAREPLAN,
            order=910,
        )
    )
    register(
        ExportSection(
            key="calendar_links",
            title=_("Koppelingen met uw agenda"),
            model=CalendarToken,
            category=Category.CALENDAR_FEED,
            order=920,
            omit=frozenset({"token_hash"}),
        )
    )
    register(
        ExportSection(
            key="worklist_marks",
            title=_("Punten op de werklijst van uw zorgverleners"),
            model=WorklistMark,
            category=Category.CAREPLAN,
            order=930,
        )
    )
