"""Reads for the aggregating pages. Every query starts from persons the access layer allows."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from koers.consults.models import AgendaItem, Consult, Preparation
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal
from koers.network import access
from koers.network.models import CareTeamMember
from koers.people.models import SupportLevelDecision


def caseload(*, user, search: str = "", attention_only: bool = False):
    """Persons in this professional's care, with what needs attention, in a fixed number of queries."""
    today = timezone.localdate()
    now = timezone.now()
    qs = access.visible_persons(user, category=access.Category.DEMOGRAPHICS)
    if search:
        for term in search.split()[:4]:
            qs = qs.filter(Q(given_name__icontains=term) | Q(family_name__icontains=term))
    qs = qs.annotate(
        next_consult_at=Subquery(
            Consult.objects.filter(person=OuterRef("pk"), status=Consult.Status.PLANNED, scheduled_at__gte=now)
            .order_by("scheduled_at")
            .values("scheduled_at")[:1]
        ),
        new_preparation=Exists(
            Preparation.objects.filter(person=OuterRef("pk"), status=Preparation.Status.SUBMITTED).filter(
                Q(consult__isnull=True) | Q(consult__status=Consult.Status.PLANNED)
            )
        ),
        actions_to_review=Exists(
            Action.objects.filter(person=OuterRef("pk"), status=Action.Status.ACTIVE, review_date__lte=today)
        ),
        goals_proposed=Exists(
            Goal.objects.filter(person=OuterRef("pk"), lifecycle_status=Goal.LifecycleStatus.PROPOSED)
        ),
        decision_waiting=Exists(
            SharedDecision.objects.filter(
                person=OuterRef("pk"), status=SharedDecision.Status.THINKING, think_until__lte=today
            )
        ),
        support_level=Subquery(
            SupportLevelDecision.objects.filter(person=OuterRef("pk"))
            .order_by("-decided_at", "-id")
            .values("level")[:1]
        ),
    )
    if attention_only:
        qs = qs.filter(
            Q(new_preparation=True) | Q(actions_to_review=True) | Q(goals_proposed=True) | Q(decision_waiting=True)
        )
    return qs.order_by("family_name", "given_name", "id")


def person_overview(person, *, categories) -> dict:
    """What the overview page shows, for an already access-checked person, limited to the
    data categories the viewer may see (consent per category, later, needs nothing more here)."""
    now = timezone.now()
    C = access.Category
    wanted = {
        "profile": C.PROFILE,
        "conditions": C.CLINICAL,
        "support_level": C.SUPPORT_LEVEL,
        "care_team": C.DEMOGRAPHICS,
        "next_consult": C.CONSULTS,
        "preparation": C.CONSULTS,
        "open_agenda": C.CONSULTS,
        "goals": C.GOALS,
        "decisions": C.DECISIONS,
    }
    loaders = {
        "profile": lambda: getattr(person, "profile", None),
        "conditions": lambda: list(person.conditions.filter(clinical_status="active")),
        "support_level": lambda: (
            SupportLevelDecision.objects.filter(person=person).select_related("decided_by").first()
        ),
        "care_team": lambda: list(
            CareTeamMember.objects.filter(person=person, ended_at__isnull=True).select_related(
                "professional", "organisation"
            )
        ),
        "next_consult": lambda: (
            Consult.objects.filter(person=person, status=Consult.Status.PLANNED, scheduled_at__gte=now)
            .select_related("professional")
            .order_by("scheduled_at")
            .first()
        ),
        "preparation": lambda: Preparation.objects.filter(person=person).order_by("-created_at", "-id").first(),
        "open_agenda": lambda: list(
            AgendaItem.objects.filter(person=person, status=AgendaItem.Status.OPEN).order_by("priority", "id")[:10]
        ),
        "goals": lambda: list(
            Goal.objects.filter(person=person)
            .exclude(lifecycle_status__in=[Goal.LifecycleStatus.CANCELLED, Goal.LifecycleStatus.COMPLETED])
            .prefetch_related("actions")
        ),
        "decisions": lambda: list(
            SharedDecision.objects.filter(person=person)
            .exclude(status=SharedDecision.Status.WITHDRAWN)
            .select_related("chosen_option")[:5]
        ),
    }
    return {name: (loaders[name]() if category in categories else None) for name, category in wanted.items()}
