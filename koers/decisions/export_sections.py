"""Shared decisions and their options:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.decisions.models import DecisionConfirmation, DecisionOption, SharedDecision
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="decisions",
            title=_("Samen beslissen"),
            model=SharedDecision,
            category=Category.DECISION_RECORDS,
            order=200,
        )
    )
    register(
        ExportSection(
            key="decision_options",
            title=_("Keuzemogelijkheden"),
            model=DecisionOption,
            category=Category.DECISION_RECORDS,
            order=210,
        )
    )
    register(
        ExportSection(
            key="decision_confirmations",
            title=_("Uw eigen antwoord op besluiten"),
            model=DecisionConfirmation,
            category=Category.DECISION_AGREEMENT,
            order=220,
        )
    )
