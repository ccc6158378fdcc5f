"""Reads of koers.consults for an already access-checked person, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from koers.accounts.models import User
from koers.consults import spheres
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.people.models import Person


def next_planned_consult(person: Person, *, now=None) -> Consult | None:
    now = now or timezone.now()
    return (
        Consult.objects.filter(person=person, status=Consult.Status.PLANNED, scheduled_at__gte=now)
        .select_related("professional")
        .order_by("scheduled_at", "id")
        .first()
    )


def is_upcoming(consult: Consult | None) -> bool:
    """True for no consult yet (the next one will take it) or a planned consult still to come."""
    if consult is None:
        return True
    return consult.status == Consult.Status.PLANNED and consult.scheduled_at >= timezone.now()


def consults_for(person: Person) -> tuple[list[Consult], list[Consult]]:
    """(upcoming, earlier): planned consults still to come, soonest first; then the rest, newest first."""
    now = timezone.now()
    qs = (
        Consult.objects.filter(person=person)
        .select_related("professional", "preparation")
        .annotate(
            item_count=Count("agenda_items", filter=Q(agenda_items__removed_at__isnull=True), distinct=True),
            open_count=Count(
                "agenda_items",
                filter=Q(agenda_items__status=AgendaItem.Status.OPEN, agenda_items__removed_at__isnull=True),
                distinct=True,
            ),
        )
    )
    upcoming_q = Q(status=Consult.Status.PLANNED, scheduled_at__gte=now)
    upcoming = list(qs.filter(upcoming_q).order_by("scheduled_at", "id"))
    earlier = list(qs.exclude(upcoming_q).order_by("-scheduled_at", "-id"))
    return upcoming, earlier


def care_team_professionals(person: Person):
    """Professionals currently in the person's care team (the choices for a consult)."""

    return User.objects.filter(
        care_teams__person=person, care_teams__ended_at__isnull=True, role=User.Role.PROFESSIONAL
    ).order_by("first_name", "last_name", "id")


def agenda(person: Person, consult: Consult | None) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(person=person, consult=consult).order_by("priority", "id"))


def deferred_elsewhere(person: Person, consult: Consult) -> list[AgendaItem]:
    """Items put off ("volgende keer") at an earlier consult and not yet carried to a later one."""
    return list(
        AgendaItem.objects.filter(
            person=person,
            status=AgendaItem.Status.DEFERRED,
            consult__scheduled_at__lt=consult.scheduled_at,
        )
        .exclude(Exists(AgendaItem.objects.filter(carried_from=OuterRef("pk"))))
        .exclude(consult=consult)
        .select_related("consult")
        .order_by("consult__scheduled_at", "priority", "id")
    )


def open_draft(person: Person) -> Preparation | None:
    """The person's one draft preparation, with its sphere answers, or None."""
    return preparation_with_spheres(
        Preparation.objects.filter(person=person, status=Preparation.Status.DRAFT)
        .select_related("consult")
        .order_by("-created_at", "-id")
    )


def latest_preparation(person: Person) -> Preparation | None:
    return Preparation.objects.filter(person=person).select_related("consult").order_by("-created_at", "-id").first()


def preparation_with_spheres(preparation_qs) -> Preparation | None:
    return preparation_qs.prefetch_related(Prefetch("spheres", queryset=SphereAnswer.objects.order_by("id"))).first()


@dataclass
class PromptView:
    text: object
    answer: str


@dataclass
class SphereView:
    info: spheres.SphereInfo
    current_situation: str = ""
    desired_situation: str = ""
    prompts: list[PromptView] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.current_situation or self.desired_situation or any(p.answer for p in self.prompts))


def sphere_views(preparation: Preparation | None) -> list[SphereView]:
    """The four spheres in model order with what the person wrote (uses prefetched ``spheres``)."""
    answers = {a.sphere: a for a in preparation.spheres.all()} if preparation is not None else {}
    views = []
    for info in spheres.SPHERES:
        answer = answers.get(info.key)
        given = answer.prompt_answers if answer is not None else {}
        views.append(
            SphereView(
                info=info,
                current_situation=answer.current_situation if answer else "",
                desired_situation=answer.desired_situation if answer else "",
                prompts=[PromptView(text=p.text, answer=str(given.get(p.key, ""))) for p in info.prompts],
            )
        )
    return views


def consult_detail(person: Person, consult: Consult) -> dict:
    """Everything the consult page shows: preparation per sphere, agenda in order."""
    preparation = preparation_with_spheres(Preparation.objects.filter(consult=consult))
    return {
        "consult": consult,
        "preparation": preparation,
        "sphere_views": sphere_views(preparation) if preparation else [],
        "items": agenda(person, consult),
        "deferred": deferred_elsewhere(person, consult) if consult.status == Consult.Status.PLANNED else [],
    }
