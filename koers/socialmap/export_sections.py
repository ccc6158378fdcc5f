"""Referrals to the social map: their part of the person's data export (registry
``koers.people.exports``). The resources themselves hold no person's data."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.people.exports import ExportSection, register
from koers.socialmap.models import Referral


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="referrals",
            title=_("Verwijzingen naar de sociale kaart"),
            model=Referral,
            category=Category.GOALS,
            order=360,
            care_dates=("created_at", "outcome_at"),
        )
    )
