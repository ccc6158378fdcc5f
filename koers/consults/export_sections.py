"""Consults, preparations and agenda items:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="consults",
            title=_("Gesprekken"),
            model=Consult,
            category=Category.CONSULT_RECORDS,
            order=100,
            care_dates=("scheduled_at",),
        )
    )
    register(
        ExportSection(
            key="preparations",
            title=_("Voorbereidingen van gesprekken"),
            model=Preparation,
            category=Category.CONSULTS,
            order=110,
        )
    )
    register(
        ExportSection(
            key="sphere_answers",
            title=_("Antwoorden in de voorbereiding"),
            model=SphereAnswer,
            category=Category.CONSULTS,
            order=120,
            person_path="preparation__person",
        )
    )
    register(
        ExportSection(
            key="agenda_items",
            title=_("Onderwerpen voor gesprekken"),
            model=AgendaItem,
            category=Category.CONSULTS,
            order=130,
        )
    )
