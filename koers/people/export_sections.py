"""The person, their profile, conditions, medication and support level:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.people.exports import ExportSection, exclude, register
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="person",
            title=_("Persoonsgegevens"),
            model=Person,
            category=Category.DEMOGRAPHICS,
            order=10,
            care_dates=("created_at",),
            person_path="pk",
            omit=frozenset({"user", "family_sort", "given_sort", "name_search", "updated_at"}),
        )
    )
    register(
        ExportSection(
            key="profile",
            title=_("Profiel"),
            model=Profile,
            category=Category.PROFILE,
            order=20,
        )
    )
    register(
        ExportSection(key="conditions", title=_("Aandoeningen"), model=Condition, category=Category.CLINICAL, order=30)
    )
    register(
        ExportSection(key="medication", title=_("Medicijnen"), model=Medication, category=Category.CLINICAL, order=40)
    )
    register(
        ExportSection(
            key="support_levels",
            title=_("Ondersteuning"),
            model=SupportLevelDecision,
            category=Category.SUPPORT_LEVEL,
            order=50,
        )
    )
    exclude(
        "people.AttentionSummary",
        "derived: what needs the care team's attention, recomputed from rows that are exported in their own sections",
    )
