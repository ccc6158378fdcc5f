"""Meetings about the person (MDO / netwerkberaad), who was invited and what was decided:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.meetings.models import Decision, Meeting, Participant
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="meetings",
            title=_("Overleg over u (MDO en netwerkberaad)"),
            model=Meeting,
            category=Category.CONSULT_RECORDS,
            order=560,
            care_dates=("starts_at",),
        )
    )
    register(
        ExportSection(
            key="meeting_participants",
            title=_("Wie voor het overleg was uitgenodigd"),
            model=Participant,
            category=Category.CONSULT_RECORDS,
            order=561,
            person_path="meeting__person",
        )
    )
    register(
        ExportSection(
            key="meeting_decisions",
            title=_("Wat in het overleg is besloten"),
            model=Decision,
            category=Category.CONSULT_RECORDS,
            order=562,
            person_path="meeting__person",
        )
    )
