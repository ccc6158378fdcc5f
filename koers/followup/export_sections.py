"""Yearly evaluations, the person's input, calendar links and worklist marks:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.followup.models import (
    CalendarToken,
    PersonEvaluationInput,
    RelativeEvaluationInput,
    RelativeNote,
    WorklistMark,
    YearlyEvaluation,
)
from koers.people.exports import ExportSection, exclude, register


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
    # What a relative writes themself (issue #13; docs/decisions.md, "Wat een naaste zelf schrijft").
    # The invitation and that it was answered are the person's; the relative's words are the
    # relative's (WGBO 7:457: another's privacy), so they are left out of the person's export.
    register(
        ExportSection(
            key="relative_evaluation_input",
            title=_("Naasten die u vroeg mee te denken over de evaluatie"),
            model=RelativeEvaluationInput,
            category=Category.RELATIVE_EVALUATION,
            order=915,
            omit=frozenset({"how_it_went", "what_helped", "own_load", "own_load_words"}),
        )
    )
    exclude(
        RelativeNote._meta.label,
        "De eigen vraag of zorg van een naaste aan de regiebehandelaar: gegevens van de naaste over "
        "zichzelf, die de cliënt niet leest (WGBO art. 7:457, privacy van een ander). De naaste ziet "
        "zijn eigen berichten op zijn pagina.",
    )
