"""The care network:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="care_team",
            title=_("Zorgteam"),
            model=CareTeamMember,
            category=Category.DEMOGRAPHICS,
            order=60,
            care_dates=("started_at", "ended_at"),
            ongoing={"ended_at__isnull": True},
        )
    )
    register(
        ExportSection(key="relatives", title=_("Naasten"), model=RelativeLink, category=Category.DEMOGRAPHICS, order=70)
    )
