"""Questionnaires, responses, scores and attention points:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.people.exports import ExportSection, register
from koers.questionnaires.models import Assignment, AttentionItem, Response, Score


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="questionnaire_assignments",
            title=_("Vragenlijsten die klaarstonden"),
            model=Assignment,
            category=Category.QUESTIONNAIRES,
            order=500,
        )
    )
    register(
        ExportSection(
            key="questionnaire_responses",
            title=_("Ingevulde vragenlijsten"),
            model=Response,
            category=Category.QUESTIONNAIRES,
            order=510,
            care_dates=("authored_at",),
        )
    )
    register(
        ExportSection(
            key="questionnaire_scores",
            title=_("Uitslagen van vragenlijsten"),
            model=Score,
            category=Category.QUESTIONNAIRES,
            order=520,
        )
    )
    register(
        ExportSection(
            key="questionnaire_attention",
            title=_("Aandachtspunten uit vragenlijsten"),
            model=AttentionItem,
            category=Category.QUESTIONNAIRES,
            order=530,
        )
    )
