"""Questionnaire moments on the person's metro map (``koers.journey.registry``, issue #17):
each completed questionnaire, and each one waiting with a date (planned)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.journey import registry
from koers.questionnaires.models import Assignment, Response


def _url(response: Response, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("questionnaires:response", args=[response.person_id, response.pk])
    if audience == registry.PORTAL:
        return reverse("questionnaires:portal_result", args=[response.pk])
    return reverse("workspace:relative_questionnaires", args=[response.person_id])


def _waiting_url(assignment: Assignment, audience: str) -> str:
    if audience == registry.WORKSPACE:
        return reverse("questionnaires:list", args=[assignment.person_id])
    if audience == registry.PORTAL:
        return reverse("questionnaires:portal_list")
    return ""


def gather(person, audience, categories):
    responses = Response.objects.filter(person=person, status=Response.Status.COMPLETED, authored_at__isnull=False)
    for response in responses.select_related("organisation"):
        by_person = response.mode == Response.Mode.PORTAL
        yield registry.Event(
            when=response.authored_at,
            kind=registry.QUESTIONNAIRE,
            line=registry.organisation_line(None if by_person else response.organisation),
            title=_("Vragenlijst ingevuld: %(title)s") % {"title": response.title_shown},
            url=_url(response, audience),
        )
    waiting = Assignment.objects.filter(person=person, status=Assignment.Status.ACTIVE, due_date__isnull=False)
    for assignment in waiting:
        yield registry.Event(
            when=registry.at_noon(assignment.due_date),
            kind=registry.QUESTIONNAIRE,
            line=registry.organisation_line(None),
            title=_("Vragenlijst invullen: %(title)s") % {"title": assignment.title_shown},
            url=_waiting_url(assignment, audience),
            planned=True,
        )


def register() -> None:
    registry.register(registry.Provider("questionnaires", str(access.Category.QUESTIONNAIRES), gather))
