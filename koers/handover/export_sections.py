"""Summaries of information moments and their deliveries: its part of the person's data export
(registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.handover.models import HandoverDelivery, HandoverSummary
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="handover_summaries",
            title=_("Overdrachtsberichten aan uw netwerk"),
            model=HandoverSummary,
            category=Category.DOCUMENTS,
            order=940,
            care_dates=("created_at",),
        )
    )
    register(
        ExportSection(
            key="handover_deliveries",
            title=_("Wie een overdrachtsbericht kreeg en las"),
            model=HandoverDelivery,
            category=Category.DOCUMENTS,
            order=950,
            person_path="summary__person",
        )
    )
