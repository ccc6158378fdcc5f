"""Reads of shared decisions, for an already access-checked person. A fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from koers.decisions.models import DecisionAid, DecisionOption, SharedDecision

Status = SharedDecision.Status


def decisions_for(person) -> list[SharedDecision]:
    """All decisions of this person, newest first, with their number of options: two queries
    whatever the number of decisions (the decisions, and nothing more per row)."""
    return list(
        SharedDecision.objects.filter(person=person)
        .select_related("chosen_option")
        .annotate(option_count=Count("options"))
        .order_by("-created_at", "-id")
    )


def decision_queryset():
    """Decisions with what their pages show, prefetched: options in their order."""
    return SharedDecision.objects.select_related(
        "chosen_option", "decided_by", "consult", "agenda_item"
    ).prefetch_related(Prefetch("options", queryset=DecisionOption.objects.order_by("order", "id")))


def decision_aids_of(organisation, *, active_only: bool = True) -> list[DecisionAid]:
    """An organisation's catalogue of decision aids, by topic and name (one query)."""
    aids = DecisionAid.objects.filter(organisation=organisation)
    return list(aids.filter(active=True) if active_only else aids)


def decision_aids_for_offer(organisation_id):
    """The aids a professional of this organisation may offer: those in use (a query set)."""
    return DecisionAid.objects.filter(organisation_id=organisation_id, active=True)


def option_queryset(decision: SharedDecision):
    """Options of one decision (``access.object_for`` scopes them by person as well)."""
    return DecisionOption.objects.filter(decision=decision).select_related("decision")


TALKS = (
    (
        "choice",
        _("Keuzegesprek"),
        _("Er valt iets te kiezen. Wil de cliënt meebeslissen, en hoe?"),
        _("Er valt iets te kiezen. Wilt u meebeslissen, en hoe?"),
    ),
    (
        "option",
        _("Optiegesprek"),
        _("Wat zijn de mogelijkheden, met voor- en nadelen en gevolgen?"),
        _("Wat kunt u kiezen? Wat zijn de voordelen, de nadelen en de gevolgen?"),
    ),
    (
        "decision",
        _("Besluitgesprek"),
        _("Wat kiest de cliënt, en waarom?"),
        _("Wat kiest u, en waarom?"),
    ),
)
STATE_LABELS = {
    "done": _("klaar"),
    "current": _("nu bezig"),
    "todo": _("nog te doen"),
    "skipped": _("niet meer nodig"),
}


def talk_steps(decision: SharedDecision, *, portal: bool = False) -> list[dict]:
    """The three talks and where this decision is: each done, current or still to do.
    ``portal`` words the explanations for the person ("u")."""
    current = {
        Status.CHOICE_TALK: 0,
        Status.OPTION_TALK: 1,
        Status.THINKING: 1,
        Status.DECIDED: 3,
        Status.WITHDRAWN: -1,
    }[decision.status]
    steps = []
    for index, (key, title, for_professional, for_person) in enumerate(TALKS):
        if current == -1:
            state = "done" if _reached(decision, index) else "skipped"
        elif index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        steps.append(
            {
                "number": index + 1,
                "key": key,
                "title": title,
                "explanation": for_person if portal else for_professional,
                "state": state,
                "state_label": STATE_LABELS[state],
            }
        )
    return steps


def _reached(decision: SharedDecision, index: int) -> bool:
    """For a withdrawn decision: how far the talks had come before it was withdrawn."""
    if index == 0:
        return bool(decision.participation)
    return decision.chosen_option_id is not None
